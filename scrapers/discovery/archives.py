"""Year and month archives: where portals keep what their press list no longer shows.

Many city portals show the newest 10–20 releases and move older ones to archive pages per
year (``/archiv/2016/``, ``?jahr=2016``, ``/2016/``), sometimes per month below that; the links
sit in a side box ("Archiv: 2024 2023 …"), under "Pressearchiv" / "Ältere Meldungen", or in a
select-like list. Side boxes count here (unlike for release links): an archive link is
recognised by its text (a year, "Archiv", a month name with a year) together with a URL that
carries a year or an archive word, never by the menu it sits in.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

from parsel import Selector

from scrapers.discovery.urls import SKIP_EXT, SKIP_PATH, canonical_url, on_site

YEAR_TEXT = re.compile(r"^(?:(?:archiv|jahr|jahrgang|pressemitteilungen|meldungen)\s*)?(?:19|20)\d{2}$", re.I)
MONTH_TEXT = re.compile(
    r"^(januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember)"
    r"(\s+(?:19|20)\d{2})?$", re.I)
ARCHIVE_TEXT = re.compile(r"\b(press\w*archiv|archiv|ältere (meldungen|pressemitteilungen|nachrichten)|"
                          r"meldungen aus (dem jahr|den vorjahren))\b", re.I)
ARCHIVE_URL = re.compile(r"archiv|(?<!\d)(?:19|20)\d{2}(?!\d)|jahr=|year=|monat=|month=", re.I)


def archive_links(sel: Selector, base: str, allowed: tuple[str, ...]) -> list[str]:
    """Links to year/month archive pages of a press list, anywhere on the page."""
    out = []
    for anchor in sel.css("a[href], option[value]"):
        href = anchor.attrib.get("href") or anchor.attrib.get("value") or ""
        if not href.strip() or href.strip().startswith(("#", "javascript:", "mailto:")):
            continue
        text = " ".join(anchor.xpath("string()").get().split())
        url = canonical_url(urljoin(base, href.strip()).split("#")[0])
        path = unquote(urlparse(url).path)
        if not on_site(url, allowed) or SKIP_EXT.search(path) or SKIP_PATH.search(path) or url == canonical_url(base):
            continue
        if not (YEAR_TEXT.match(text) or MONTH_TEXT.match(text) or (ARCHIVE_TEXT.search(text) and len(text) <= 40)):
            continue
        if ARCHIVE_URL.search(unquote(url)):
            out.append(url)
    return list(dict.fromkeys(out))
