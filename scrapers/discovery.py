"""Finding press releases on a site from its start URL: feeds, sitemaps, listing pages.

Listing heuristics look for what press lists share across CMSs: repeated items (same
markup path) in the page's content area whose links carry a headline and, usually, a date.
Navigation, header, footer and side boxes are never candidates, so a menu full of KI words
cannot turn a page into a release.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlparse

from parsel import Selector

from scrapers.dates import parse_german_date

BOILERPLATE = "header, nav, footer, aside, form, [role=navigation], [class*=breadcrumb], [id*=cookie], [class*=cookie]"
SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|svg|webp|css|js|ics|zip|docx?|xlsx?|mp[34])(\?|$)", re.I)
SKIP_PATH = re.compile(r"/(impressum|datenschutz|kontakt|suche|search|login|barrierefreiheit|sitemap)\b", re.I)
NEXT_TEXT = re.compile(r"^\s*(weiter|nächste( seite)?|naechste|next|vor|»|›|>|&gt;)\b|[»›]\s*$", re.I)
PAGE_PARAM = re.compile(r"([?&](?:page|seite|p|pg|start|offset|tx_news_pi1%5BcurrentPage%5D)=)(\d+)", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "text/xml")


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str | None = None
    date: date | None = None


def same_site(url: str, base: str) -> bool:
    a, b = urlparse(url), urlparse(base)
    strip = lambda h: (h or "").removeprefix("www.")  # noqa: E731
    return strip(a.hostname) == strip(b.hostname) and a.port == b.port


def feed_links(sel: Selector, base: str) -> list[str]:
    out = []
    for link in sel.css("link[rel~=alternate]"):
        if (link.attrib.get("type") or "").lower() in FEED_TYPES and link.attrib.get("href"):
            out.append(urljoin(base, link.attrib["href"]))
    return out


def is_feed(body: bytes, content_type: str | None) -> bool:
    head = body[:500].lstrip().lower()
    return any(t in (content_type or "") for t in ("rss", "atom")) or (
        head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)
    )


def parse_feed(body: bytes, base: str) -> list[Candidate]:
    sel = Selector(body=body, type="xml")
    sel.remove_namespaces()
    out = []
    for item in sel.xpath("//item | //entry"):
        link = item.xpath("link/@href").get() or item.xpath("link/text()").get() or item.xpath("guid/text()").get()
        if not link:
            continue
        title = (item.xpath("title/text()").get() or "").strip() or None
        raw = item.xpath("pubDate/text() | published/text() | updated/text() | date/text()").get()
        out.append(Candidate(urljoin(base, link.strip()), title, _feed_date(raw)))
    return out


def _feed_date(raw: str | None) -> date | None:
    if not raw:
        return None
    raw = raw.strip()
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError):
        pass
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return parse_german_date(raw)


def content_root(sel: Selector, hints: dict[str, str] | None = None) -> Selector:
    """The page without its boilerplate regions (a copy; the original stays intact)."""
    root = Selector(text=sel.get())
    for node in root.css(BOILERPLATE):
        node.drop()
    return root


def _item_of(anchor: Selector) -> Selector:
    """The list item an anchor belongs to: the nearest li/article/tr or classed block."""
    for node in anchor.xpath("ancestor::*[self::li or self::article or self::tr or self::div[@class]][1]"):
        return node
    return anchor


def _signature(node: Selector) -> str:
    parts = [f"{n.root.tag}.{n.attrib.get('class', '').split(' ')[0]}" for n in node.xpath("ancestor-or-self::*")]
    return "/".join(parts[-4:])


DATE_IN_TEXT = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|\b\d{1,2}\.\s+[A-ZÄÖÜa-zäöü]+\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def release_links(sel: Selector, base: str, hints: dict[str, str] | None = None) -> list[Candidate]:
    """Links on a listing page that lead to press releases, in page order."""
    hints = hints or {}
    if hints.get("items"):
        items = sel.css(hints["items"])
        return _dedupe([c for it in items if (c := _candidate(it, base, hints.get("link", "a")))])
    root = content_root(sel)
    groups: dict[str, list[tuple[Candidate, bool]]] = defaultdict(list)
    for anchor in root.css("a[href]"):
        href = anchor.attrib["href"].strip()
        url = urljoin(base, href)
        if (href.startswith(("#", "mailto:", "javascript:", "tel:")) or SKIP_EXT.search(url)
                or SKIP_PATH.search(urlparse(url).path) or not same_site(url, base)
                or url.split("#")[0] == base.split("#")[0] or PAGE_PARAM.search(url) and _is_pager(anchor)):
            continue
        item = _item_of(anchor)
        title = " ".join(anchor.xpath("string()").get().split())
        item_text = " ".join(item.xpath("string()").get().split())
        dated = bool(item.css("time") or DATE_IN_TEXT.search(item_text))
        groups[_signature(item)].append((Candidate(url, title or None, _date_in(item)), dated, ))
    chosen: list[Candidate] = []
    for members in groups.values():
        dated = sum(1 for _, d in members if d)
        long_titles = sum(1 for c, _ in members if c.title and len(c.title) >= 25)
        # A press list: most items carry a date, or (undated lists) most carry real headlines.
        if dated >= max(1, len(members) / 2) or (len(members) >= 3 and long_titles >= len(members) * 0.8):
            chosen += [c for c, _ in members]
    return _dedupe(chosen)


def _is_pager(anchor: Selector) -> bool:
    text = anchor.xpath("string()").get().strip()
    return bool(re.fullmatch(r"\d+", text) or NEXT_TEXT.search(text) or anchor.attrib.get("rel") in ("next", "prev"))


def _date_in(item: Selector) -> date | None:
    if (dt := item.css("time::attr(datetime)").get()) and re.match(r"\d{4}-\d{2}-\d{2}", dt):
        return date.fromisoformat(dt[:10])
    m = DATE_IN_TEXT.search(item.xpath("string()").get())
    return parse_german_date(m.group(0)) if m else None


def _candidate(item: Selector, base: str, link_css: str) -> Candidate | None:
    href = item.css(f"{link_css}::attr(href)").get() or item.css("a::attr(href)").get()
    if not href:
        return None
    title = " ".join((item.css(link_css).xpath("string()").get() or "").split()) or None
    return Candidate(urljoin(base, href), title, _date_in(item))


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for c in cands:
        key = c.url.split("#")[0]
        if key not in seen or (not seen[key].date and c.date):
            seen[key] = Candidate(key, c.title or seen.get(key, c).title, c.date or seen.get(key, c).date)
    return list(seen.values())


def next_page(sel: Selector, base: str, current_page: int, hint: str | None = None) -> str | None:
    """The next listing page: a hint, rel=next, a "weiter"/"»" link, or page parameter + 1."""
    if hint and (href := sel.css(hint).attrib.get("href") if sel.css(hint) else None):
        return urljoin(base, href)
    for href in sel.css("a[rel~=next]::attr(href), link[rel~=next]::attr(href)").getall():
        return urljoin(base, href)
    for anchor in sel.css("a[href]"):
        text = " ".join(anchor.xpath("string()").get().split())
        label = anchor.attrib.get("aria-label", "") + " " + anchor.attrib.get("title", "")
        if text and (NEXT_TEXT.search(text) or re.search(r"nächste|next", label, re.I)):
            url = urljoin(base, anchor.attrib["href"])
            if same_site(url, base) and url != base:
                return url
    # Numbered pages: a link to the page after the current one.
    for anchor in sel.css("a[href]"):
        if anchor.xpath("string()").get().strip() == str(current_page + 1):
            url = urljoin(base, anchor.attrib["href"])
            if same_site(url, base):
                return url
    return None
