"""The discovery test web: one local site per CMS family and discovery path.

Each site is crawled in tests with nothing configured but its start URL, and what the crawl
found is compared with ``expected_urls`` (what the site holds). Site ids are source ids.

| id                | family           | start | discovery it leaves open           | traps |
|-------------------|------------------|-------|------------------------------------|-------|
| typo3-news        | TYPO3 tx_news    | list  | listing, 3 pages "weiter"          | PDF release, tx_news query URLs |
| typo3-sitemap     | TYPO3 (routes)   | /     | news sitemap in a sitemap index    | index not in robots.txt |
| drupal-views      | Drupal           | list  | listing, ?page=N pager, no rel     | no charset declared (cp1252), node redirect |
| gsb-feed          | Gov. Site Builder| /     | feed linked in <head>              | PDF release |
| numeric-cms       | numeric ids      | /     | home → press page, ?seite=N        | declares UTF-8, sends cp1252 |
| wordpress-sitemap | WordPress        | /     | wp-sitemap.xml from robots.txt     | pages/category/user sitemaps |
| wordpress-feed    | WordPress        | /     | /feed/ (not linked)                | home teasers only |
| wordpress-listing | WordPress        | list  | /page/2/ "Nächste Seite »"         | category links in items |
| presseservice     | presse-service.de| list  | ?Startrow=N offsets, "weiter »"    | relative links, table rows |

Every page carries navigation full of KI words; the KI pages it links exist (so taking one
for a release would show), and robots.txt disallows ``/intern/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib import resources

from monitor.demoweb.cms import CMS_FAMILIES
from monitor.demoweb.documents import documents
from monitor.demoweb.families import FAMILIES, NAV_ITEMS
from monitor.demoweb.presseservice import PresseService
from monitor.demoweb.site import Entry, Page, Site
from scrapers.sources import slugify

# The platform's page size is the test site's per_page (4), so its list runs to three pages.
ALL_FAMILIES = {**FAMILIES, **CMS_FAMILIES, "presseservice": PresseService(page_size=4)}

KI_PAGE = ("Das Kommunale Integrationszentrum (KI) unterstützt Kitas, Schulen und Vereine. "
           "Mit KOMM-AN NRW fördert das Land das ehrenamtliche Engagement; das Kommunale "
           "Integrationsmanagement (KIM) begleitet Zugewanderte. Staatssekretärin und Ministerium "
           "fördern die Kommunalen Integrationszentren mit Landesmitteln.")


@dataclass
class TestSite(Site):
    __test__ = False  # not a pytest class

    feed_link: bool = True  # announce the feed in <head>
    sitemap_url: str | None = None  # announced in robots.txt (None: the family's or none)
    start_at_root: bool = False  # the user names the home page, not the press page

    @property
    def start_path(self) -> str:
        return "/" if self.start_at_root else super().start_path

    def pages(self) -> dict[str, Page]:
        out = dict(super().pages())  # the base class caches its dict: never mutate it
        newest = max(e.modified for e in self.entries)
        for label, href in NAV_ITEMS:
            main = f"<h1>{escape(label)}</h1><p>{escape(KI_PAGE)}</p><p>Stand: 01.02.2024</p>"
            out.setdefault(href, self.html(self.family.layout(self, label, main), newest))
        extra = getattr(self.family, "extra_pages", None)
        if extra:
            out.update(extra(self))
        for old, new in self.redirects.items():
            if old in out:  # a moved page; a redirect of a path that never was one stays as it is
                out[new] = out.pop(old)
        return out

    def robots(self) -> str:
        text = super().robots()
        return text + f"Sitemap: {self.base_url}{self.sitemap_url}\n" if self.sitemap_url else text

    def expected_urls(self) -> set[str]:
        """The URLs of every release the site holds, as its listings/feeds/sitemaps link them."""
        return {self.article_url(e) for e in self.entries}


def _pdf() -> bytes:
    return resources.files("monitor.demoweb").joinpath("data/staatskanzlei-seed002.pdf").read_bytes()


# id -> family, documents, options. Documents are the bundled corpus texts.
TEST_SITES: dict[str, dict] = {
    "typo3-news": dict(family="typo3", per_page=4, pdf="seed002",
                       docs=["seed002", "d001", "d004", "d005", "d007", "d009", "d010", "d012", "d013", "d016", "d017"]),
    "typo3-sitemap": dict(family="typo3-speaking", listing=False, sitemap=True, robots_sitemap=False,
                          docs=["d018", "d022", "d023", "d025", "d027", "d028"]),
    "drupal-views": dict(family="drupal", per_page=3, charset="cp1252", declared_charset=None,
                         docs=["d029", "d030", "d031", "d036", "d037", "d038", "d040", "d042"], moved=1),
    "gsb-feed": dict(family="gsb", listing=False, feed=True, pdf="seed002",
                     docs=["seed002", "seed003", "d043", "d045", "d046", "d047", "d048"]),
    "numeric-cms": dict(family="numeric", per_page=3, start_at_root=True, charset="cp1252", declared_charset="utf-8",
                        docs=["seed000", "d006", "d021", "d026", "d015", "d049", "d050"]),
    "wordpress-sitemap": dict(family="wordpress", listing=False, sitemap=True, sitemap_url="/wp-sitemap.xml",
                              robots_sitemap=False, docs=["seed001", "d003", "d034", "d020", "d039", "d041"]),
    "wordpress-feed": dict(family="wordpress", listing=False, feed=True, feed_link=False,
                           docs=["seed004", "d008", "d011", "d014", "d019"]),
    "wordpress-listing": dict(family="wordpress", per_page=4,
                              docs=["d024", "d032", "d033", "d035", "d044", "d002", "d036", "d040", "d013"]),
    "presseservice": dict(family="presseservice", per_page=4,
                          docs=["d002", "d005", "d009", "d013", "d017", "d021", "d025", "d030", "d038", "d046"]),
}


def build_test_site(site_id: str) -> TestSite:
    spec = dict(TEST_SITES[site_id])
    docs = documents()
    family = ALL_FAMILIES[spec.pop("family")]
    pdf_doc, moved = spec.pop("pdf", None), spec.pop("moved", 0)
    entries = []
    for i, doc_id in enumerate(spec.pop("docs")):
        entry = Entry.from_document(docs[doc_id], numeric_id=4711 + 17 * i, pdf=_pdf() if doc_id == pdf_doc else None)
        entry.slug = slugify(entry.title, 60)
        entries.append(entry)
    entries.sort(key=lambda e: e.published, reverse=True)
    site = TestSite(id=site_id, name=f"Testsite {site_id}", family=family, entries=entries, **spec)
    # Drupal's redirect module: the listing links /node/N, which answers 301 to the alias.
    for entry in entries[:moved]:
        site.redirects[family.article_path(entry)] = f"/presse/{entry.published.year}/{entry.slug}"
    return site


def discovery_sites(ids: list[str] | None = None) -> list[TestSite]:
    return [build_test_site(s) for s in (ids or TEST_SITES)]


def sources_toml(sites: list[Site]) -> str:
    """A registry naming each site by its start URL only, as a user would add it."""
    return "\n".join(f'[[source]]\nid = "{s.id}"\nki = "NRW"\nurl = "{s.start_url}"\n' for s in sites)
