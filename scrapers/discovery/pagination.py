"""Pagination of listing pages: where the next page of a press list is.

Pagers seen on municipal CMSs: ``rel=next``; "weiter", "nächste Seite", "ältere Meldungen",
"»", "Mehr laden" links without ``rel``; GSB's ``navIndex`` with ``gtp=…_list%253D2``; numbered pages ``?page=N`` (Drupal counts from 0, so the link "2"
carries ``page=1``), ``/page/N/`` (WordPress), TYPO3 tx_news ``currentPage``; a window of
numbers ("1 2 3 … 45"). The spider follows the next page and also every numbered page the
pager shows, so a pager whose "next" link cannot be recognised still walks to the end.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from scrapers.discovery.urls import canonical_url, is_pager_url, on_site

NEXT_WORD = re.compile(r"^(weiter|nächste|naechste|next|vor|ältere|aeltere|older|mehr meldungen|"
                       r"weitere meldungen|ältere einträge|ältere beiträge|mehr laden|weitere laden|load more)\b", re.I)
NEXT_SYMBOL = re.compile(r"^[\s»›>→]+$")
PREVIOUS = re.compile(r"zurück|vorherige|prev|neuere|newer|«|‹", re.I)
# GSB calls its pager ``navIndex``; "Mehr laden" buttons are links to the next page too.
PAGER_CLASS = re.compile(r"pag|pager|browse|f3-widget|page-numbers|nav-links|blaettern|seiten|navindex|load-more|"
                         r"loadmore|mehr-laden", re.I)
PAGE_TITLE = re.compile(r"^\s*(?:seite|page|zur seite)\s+\d+\s*$", re.I)


def in_pager(anchor: Selector) -> bool:
    if PAGE_TITLE.match(anchor.attrib.get("title", "") or anchor.attrib.get("aria-label", "")):
        return True
    return any(PAGER_CLASS.search(n.attrib.get("class", "") + " " + n.attrib.get("id", ""))
               for n in anchor.xpath("ancestor-or-self::*[position() <= 4]"))


def _url(href: str | None, base: str, allowed: tuple[str, ...]) -> str | None:
    if not href or href.strip().startswith(("#", "javascript:", "mailto:")):
        return None
    url = canonical_url(urljoin(base, href.strip()).split("#")[0])
    return url if on_site(url, allowed) and url != canonical_url(base) else None


def next_page(sel: Selector, base: str, allowed: tuple[str, ...], current_page: int,
              hint: str | None = None) -> str | None:
    """The next listing page: a hint, rel=next, a "weiter"/"»" link, or the next page number."""
    if hint and sel.css(hint) and (url := _url(sel.css(hint).attrib.get("href"), base, allowed)):
        return url
    for href in sel.css("a[rel~=next]::attr(href), link[rel~=next]::attr(href)").getall():
        if url := _url(href, base, allowed):
            return url
    anchors = sel.css("a[href]")
    ranked = sorted(anchors, key=lambda a: not in_pager(a))  # "mehr »" in a teaser box is not the next page
    for anchor in ranked:
        text = " ".join(anchor.xpath("string()").get().split())
        label = f'{anchor.attrib.get("aria-label", "")} {anchor.attrib.get("title", "")}'
        is_next = (text and len(text) <= 30 and (NEXT_WORD.search(text) or NEXT_SYMBOL.match(text))) or (
            re.search(r"nächste|next|weiter", label, re.I) and not PREVIOUS.search(label))
        url = _url(anchor.attrib["href"], base, allowed)
        if is_next and url and (in_pager(anchor) or is_pager_url(url)):
            return url
    for anchor in ranked:
        if anchor.xpath("string()").get().strip() == str(current_page + 1):
            url = _url(anchor.attrib["href"], base, allowed)
            if url and (in_pager(anchor) or is_pager_url(url)):
                return url
    return None


def pager_links(sel: Selector, base: str, allowed: tuple[str, ...]) -> list[str]:
    """Every numbered page a pager shows (``1 2 3 … 45``), in page order."""
    out = []
    for anchor in sel.css("a[href]"):
        text = " ".join(anchor.xpath("string()").get().split())
        if not re.fullmatch(r"\d{1,4}", text) or (1900 <= int(text) <= 2100):
            continue  # years are archives, not pages
        url = _url(anchor.attrib["href"], base, allowed)
        if url and (in_pager(anchor) or is_pager_url(url)):
            out.append(url)
    return list(dict.fromkeys(out))
