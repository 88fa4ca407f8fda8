"""The catalogue of simulated sites: one CMS family each, with its name, KI and first year."""

from __future__ import annotations

from dataclasses import dataclass

from tests.bigweb.model import Site
from tests.bigweb.sites.drupal import DrupalSite
from tests.bigweb.sites.gsb import GsbSite
from tests.bigweb.sites.ikiss import IkissSite
from tests.bigweb.sites.navhome import NavHomeSite
from tests.bigweb.sites.newspaper import NewspaperSite
from tests.bigweb.sites.presseservice import PresseServiceSite
from tests.bigweb.sites.sitemaponly import SitemapOnlySite
from tests.bigweb.sites.typo3 import Typo3Site
from tests.bigweb.sites.wordpress import WordPressSite
from tests.bigweb.sites.yeararchive import YearArchiveSite


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    ki: str
    kind: type[Site]
    start_year: int


CATALOG: tuple[Entry, ...] = (
    Entry("bigweb-typo3-bielefeld", "Stadt Bielefeld", "Bielefeld", Typo3Site, 2013),
    Entry("bigweb-drupal-guetersloh", "Kreis Gütersloh", "Kreis Gütersloh", DrupalSite, 2012),
    Entry("bigweb-wp-ki-unna", "Kommunales Integrationszentrum Kreis Unna", "Kreis Unna", WordPressSite, 2014),
    Entry("bigweb-gsb-mkjfgfi", "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW",
          "NRW", GsbSite, 2011),
    Entry("bigweb-ikiss-hoexter", "Kreis Höxter", "Kreis Höxter", IkissSite, 2015),
    Entry("bigweb-presseservice-recklinghausen", "Kreis Recklinghausen (presse-service)", "Kreis Recklinghausen",
          PresseServiceSite, 2013),
    Entry("bigweb-archiv-hamm", "Stadt Hamm", "Hamm", YearArchiveSite, 2012),
    Entry("bigweb-navhome-remscheid", "Stadt Remscheid", "Remscheid", NavHomeSite, 2014),
    Entry("bigweb-sitemap-neuss", "Rhein-Kreis Neuss", "Rhein-Kreis Neuss", SitemapOnlySite, 2015),
    Entry("bigweb-zeitung-kleve", "Niederrhein Nachrichten (Kreis Kleve)", "Kreis Kleve", NewspaperSite, 2014),
)
