"""Finding press releases on a site from its start URL: feeds, sitemaps, listing pages.

Listing heuristics look for what press lists share across CMSs: repeated items (same
markup path) in the page's content area whose links carry a headline and, usually, a date.
Navigation, header, footer and side boxes are never candidates, so a menu full of KI words
cannot turn a page into a release. Sitemaps list every page of a site; only URLs that look
like press releases (under the start path, dated, below a /presse/-like segment) are kept.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urljoin, urlparse

from parsel import Selector

from scrapers.dates import parse_german_date

BOILERPLATE = ("nav, aside, form, [role=navigation], [class*=breadcrumb], [id*=cookie], [class*=cookie], "
               "[class*=subnav], [class*=sidebar], [id*=sidebar]")
# Page header and footer, but not an article's own (WordPress puts title and date in one).
PAGE_FRAME = "//header[not(ancestor::article)] | //footer[not(ancestor::article)]"
SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|svg|webp|css|js|ics|vcf|zip|docx?|xlsx?|pptx?|mp[34])(\?|$)", re.I)
SKIP_PATH = re.compile(
    r"/(impressum|datenschutz\w*|kontakt|suche|search|login|barrierefreiheit|sitemap|"
    r"tag|tags|schlagwort|category|kategorie|author|autor|feed|rss)(/|\.|$)", re.I)
NEXT_WORD = re.compile(r"^(weiter|nächste|naechste|next|vor|ältere|aeltere|older)\b", re.I)
NEXT_SYMBOL = re.compile(r"^[\s»›>→]+$")
PAGER_CLASS = re.compile(r"pag|pager|browse|f3-widget|page-numbers|nav-links|blaettern", re.I)
PAGE_PARAM = re.compile(
    r"[?&](?:page|seite|p|pg|start|offset|tx_news_pi1(?:%5B|\[)currentPage(?:%5D|\]))=(\d+)", re.I)
PAGE_PATH = re.compile(r"/(?:page|seite)/\d+/?$", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "text/xml")
# Probed when a page links no feed (WordPress, Drupal, many hand-made sites).
FEED_PATHS = ("/feed/", "/rss.xml", "/atom.xml")
NOT_RELEASE_SITEMAP = re.compile(r"taxonom|users?[-_.]|author|categor|[-_/]tags?[-_.]|kategorie", re.I)
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")
PRESS_SEGMENT = re.compile(
    r"^(presse\w*|pressemitteilung\w*|pressemeldung\w*|presseinformation\w*|medien\w*|news|"
    r"nachrichten|aktuelles|aktuelle-meldungen|meldungen|neuigkeiten|mitteilungen|artikel|"
    r"pressedienst)$", re.I)
PRESS_LINK = [re.compile(p, re.I) for p in (
    r"pressemitteilungen|pressemeldungen|presseinformationen|pressedienst|pressearchiv",
    r"^\W*(alle\s+)?(presse|medien)\b",
    r"^\W*(alle\s+)?(aktuelles|aktuelle meldungen|nachrichten|neuigkeiten|news|meldungen)\b",
)]
DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|\b\d{1,2}\.\s+[A-ZÄÖÜa-zäöü]+\.?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
URL_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}[/_-](?:0?[1-9]|1[0-2])(?:[/_-]|$)")


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str | None = None
    date: date | None = None


# -- URLs -----------------------------------------------------------------------------------
def _host(url: str) -> str:
    return (urlparse(url).hostname or "").removeprefix("www.")


def same_site(url: str, base: str) -> bool:
    a, b = urlparse(url), urlparse(base)
    return _host(url) == _host(base) and a.port == b.port and a.scheme in ("http", "https")


def is_root(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.path in ("", "/") and not parsed.query


def is_pager_url(url: str) -> bool:
    return bool(PAGE_PARAM.search(url) or PAGE_PATH.search(urlparse(url).path))


def looks_like_release_url(url: str, start_url: str) -> bool:
    """A sitemap URL worth fetching: below the start path, dated, or below a press segment.

    The last segment must be a slug or an id, not a press word itself: ``/aktuelles/`` and
    ``/presse/pressemitteilungen/`` are listings, not releases.
    """
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if not same_site(url, start_url) or SKIP_EXT.search(path) or SKIP_PATH.search(path) or is_pager_url(url):
        return False
    if url.rstrip("/") == start_url.rstrip("/"):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments or PRESS_SEGMENT.match(segments[-1].rsplit(".", 1)[0]) or re.fullmatch(r"\d{4}", segments[-1]):
        return False
    start_path = urlparse(start_url).path
    start_dir = start_path if start_path.endswith("/") else start_path.rsplit("/", 1)[0] + "/"
    if start_dir != "/" and path.startswith(start_dir) and len(path) > len(start_dir):
        return True
    if URL_DATE.search(path):
        return True
    return any(PRESS_SEGMENT.match(s) for s in segments[:-1])


# -- feeds ----------------------------------------------------------------------------------
def feed_links(sel: Selector, base: str) -> list[str]:
    """Feeds a page announces, press-like ones first; comment feeds are not news."""
    out = []
    for link in sel.css("link[rel~=alternate]"):
        kind, href = (link.attrib.get("type") or "").lower(), link.attrib.get("href")
        title = (link.attrib.get("title") or "").lower()
        if kind in FEED_TYPES and href and "comment" not in href and "kommentar" not in title:
            out.append((not re.search(r"presse|news|meldung|aktuell|mitteilung", href + title), urljoin(base, href)))
    return [url for _, url in sorted(out, key=lambda t: t[0])]


def probe_feed_urls(start_url: str) -> list[str]:
    return [urljoin(start_url, p) for p in FEED_PATHS]


def _xml_head(body: bytes) -> bytes:
    return body[:1000].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


def is_feed(body: bytes, content_type: str | None) -> bool:
    head = _xml_head(body)
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    return any(t in (content_type or "").lower() for t in ("rss", "atom")) or (
        head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))
    ) and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def parse_feed(body: bytes, base: str) -> list[Candidate]:
    sel = Selector(body=body, type="xml")
    sel.remove_namespaces()
    out = []
    for item in sel.xpath("//item | //entry"):
        link = (item.xpath("link[not(@rel) or @rel='alternate']/@href").get()
                or item.xpath("link/text()").get() or item.xpath("guid/text()").get())
        if not link or not link.strip().startswith(("http", "/")):
            continue
        title = " ".join((item.xpath("title/text()").get() or "").split()) or None
        raw = item.xpath("pubDate/text() | published/text() | date/text() | updated/text()").get()
        out.append(Candidate(urljoin(base, link.strip()), title, _feed_date(raw)))
    return _dedupe(out)


def _feed_date(raw: str | None) -> date | None:
    if not raw:
        return None
    raw = raw.strip()
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return parse_german_date(raw)


# -- sitemaps -------------------------------------------------------------------------------
def robots_sitemaps(body: bytes, base: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [urljoin(base, m.strip()) for m in re.findall(r"^\s*sitemap\s*:\s*(\S+)", text, re.I | re.M)]


def probe_sitemap_urls(start_url: str) -> list[str]:
    return [urljoin(start_url, p) for p in SITEMAP_PATHS]


def unzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError):
            return b""
    return body


def is_sitemap(body: bytes) -> bool:
    head = _xml_head(unzip(body))
    return b"<urlset" in head or b"<sitemapindex" in head


@dataclass
class Sitemap:
    children: list[str]  # a sitemap index: the sitemaps it lists, press-like first
    urls: list[Candidate]  # a url set: every URL with lastmod (or news publication date)
    news: bool = False  # a news sitemap: every entry is a news item


def parse_sitemap(body: bytes, base: str) -> Sitemap:
    sel = Selector(body=unzip(body), type="xml")
    sel.remove_namespaces()
    children = [urljoin(base, u.strip()) for u in sel.xpath("//sitemapindex/sitemap/loc/text()").getall()]
    # Taxonomy, tag and author sitemaps list archive pages, never releases.
    children = [u for u in children if not NOT_RELEASE_SITEMAP.search(u)]
    children.sort(key=lambda u: not re.search(r"news|presse|post|meldung|artikel|mitteilung", u, re.I))
    urls, news = [], bool(sel.xpath("//url/news"))
    for node in sel.xpath("//urlset/url"):
        loc = (node.xpath("loc/text()").get() or "").strip()
        if not loc:
            continue
        title = " ".join((node.xpath("news/title/text()").get() or "").split()) or None
        raw = node.xpath("news/publication_date/text()").get() or node.xpath("lastmod/text()").get()
        urls.append(Candidate(urljoin(base, loc), title, _feed_date(raw)))
    return Sitemap(children, urls, news)


def sitemap_releases(sitemap: Sitemap, start_url: str) -> list[Candidate]:
    """The entries of a url set that look like releases, newest first (undated last)."""
    if sitemap.news:
        found = [c for c in sitemap.urls if same_site(c.url, start_url)]
    else:
        found = [c for c in sitemap.urls if looks_like_release_url(c.url, start_url)]
    return sorted(found, key=lambda c: c.date or date.min, reverse=True)


# -- listing pages --------------------------------------------------------------------------
def content_root(sel: Selector) -> Selector:
    """The page without its boilerplate regions (a copy; the original stays intact)."""
    root = Selector(text=sel.get())
    for node in [*root.xpath(PAGE_FRAME), *root.css(BOILERPLATE)]:
        with contextlib.suppress(Exception):  # already gone with an enclosing region
            node.drop()
    return root


def _items(anchors: list[tuple[Selector, str]]) -> dict[object, list[Selector]]:
    """Group anchors into list items: an item is the largest element around an anchor whose
    links all lead to the same URL (title, date link and "Weiterlesen" of one entry)."""
    # Keyed by the lxml elements themselves: holding them keeps their proxies (and ids) stable.
    urls_below: dict[object, set[str]] = defaultdict(set)
    for anchor, url in anchors:
        node = anchor.root
        while node is not None:
            urls_below[node].add(url)
            node = node.getparent()
    items: dict[object, list[Selector]] = {}
    for anchor, url in anchors:
        node = anchor.root
        while (parent := node.getparent()) is not None and urls_below[parent] == {url} \
                and parent.tag not in ("body", "main", "html"):
            node = parent
        items.setdefault(node, []).append(anchor)
    return items


def _stable_class(node: Selector) -> str:
    # WordPress gives each item ``post-123``: ids must not split one list into many groups.
    return next((c for c in node.attrib.get("class", "").split() if not re.search(r"\d", c)), "")


def _signature(node: Selector) -> str:
    parts = [f"{n.root.tag}.{_stable_class(n)}" for n in node.xpath("ancestor-or-self::*")]
    return "/".join(parts[-4:])


def _primary_anchor(item: Selector, anchors: list[Selector]) -> Selector:
    """The headline link of an item: inside a heading, else the one with the longest text."""
    in_heading = [a for a in anchors if a.xpath("ancestor::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5]")]
    return max(in_heading or anchors, key=lambda a: len(" ".join(a.xpath("string()").get().split())))


def release_links(sel: Selector, base: str, hints: dict[str, str] | None = None,
                  exclude: set[str] | frozenset[str] = frozenset()) -> list[Candidate]:
    """Links on a listing page that lead to press releases, in page order."""
    hints = hints or {}
    if hints.get("items"):
        hinted = [c for it in sel.css(hints["items"]) if (c := _candidate(it, base, hints.get("link", "a")))]
        if hinted:
            return _dedupe(hinted)
    root = content_root(sel)
    kept: list[tuple[Selector, str]] = []
    for anchor in root.css("a[href]"):
        href = anchor.attrib["href"].strip()
        url = urljoin(base, href).split("#")[0]
        if (href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")) or SKIP_EXT.search(url)
                or SKIP_PATH.search(urlparse(url).path) or not same_site(url, base)
                or url == base.split("#")[0] or url in exclude or is_pager_url(url) or _in_pager(anchor)):
            continue
        kept.append((anchor, url))
    groups: dict[str, list[tuple[Candidate, bool]]] = defaultdict(list)
    for node, anchors in _items(kept).items():
        item = Selector(root=node)
        anchor = _primary_anchor(item, anchors)
        url = urljoin(base, anchor.attrib["href"].strip()).split("#")[0]
        title = " ".join(anchor.xpath("string()").get().split()) or None
        item_text = _text(item)
        dated = bool(item.css("time") or DATE_IN_TEXT.search(item_text))
        groups[_signature(item)].append((Candidate(url, title, _date_in(item)), dated))
    dated_groups, undated_groups = [], []
    for members in groups.values():
        dated = sum(1 for _, d in members if d)
        long_titles = sum(1 for c, _ in members if c.title and len(c.title) >= 25)
        if dated >= max(1, len(members) / 2):
            dated_groups.append(members)
        elif len(members) >= 3 and long_titles >= len(members) * 0.8:
            undated_groups.append(members)
    # Undated lists of long titles count only on pages without a dated list: otherwise they
    # are teasers, related boxes or a sub-navigation beside the real press list.
    chosen = dated_groups or undated_groups
    return _dedupe([c for members in chosen for c, _ in members])


def _in_pager(anchor: Selector) -> bool:
    return any(PAGER_CLASS.search(n.attrib.get("class", "")) for n in anchor.xpath("ancestor::*[position() <= 3]"))


def _text(node: Selector) -> str:
    # Text nodes joined with spaces: "Integration</a><span>12.12.2023" must not glue together.
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def _date_in(item: Selector) -> date | None:
    if (dt := item.css("time::attr(datetime)").get()) and re.match(r"\d{4}-\d{2}-\d{2}", dt):
        try:
            return date.fromisoformat(dt[:10])
        except ValueError:
            pass
    m = DATE_IN_TEXT.search(_text(item))
    return parse_german_date(m.group(0)) if m else None


def _candidate(item: Selector, base: str, link_css: str) -> Candidate | None:
    # Elements first, then their href: "h3 a, .header a::attr(href)" would apply ::attr to the
    # last alternative only.
    links = [a for a in item.css(link_css) if a.attrib.get("href")] or item.css("a[href]")
    if not links:
        return None
    title = " ".join(links[0].xpath("string()").get().split()) or None
    return Candidate(urljoin(base, links[0].attrib["href"].strip()), title, _date_in(item))


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for c in cands:
        key = c.url.split("#")[0]
        old = seen.get(key)
        seen[key] = Candidate(key, (old and old.title) or c.title, (old and old.date) or c.date)
    return list(seen.values())


def press_page_link(sel: Selector, base: str) -> str | None:
    """On a home page: the link to the press releases ("Pressemitteilungen", "Aktuelles")."""
    anchors = [(a, " ".join(a.xpath("string()").get().split())) for a in sel.css("a[href]")]
    for pattern in PRESS_LINK:
        for anchor, text in anchors:
            if not text or len(text) > 40 or not pattern.search(text):
                continue
            url = urljoin(base, anchor.attrib["href"].strip()).split("#")[0]
            if same_site(url, base) and url != base and not SKIP_EXT.search(url):
                return url
    return None


def next_page(sel: Selector, base: str, current_page: int, hint: str | None = None,
              seen: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The next listing page: a hint, rel=next, a "weiter"/"»" link, or the next page number."""

    def ok(href: str | None) -> str | None:
        if not href:
            return None
        url = urljoin(base, href.strip()).split("#")[0]
        return url if same_site(url, base) and url != base and url not in seen else None

    if hint and (url := ok(sel.css(hint).attrib.get("href") if sel.css(hint) else None)):
        return url
    for href in sel.css("a[rel~=next]::attr(href), link[rel~=next]::attr(href)").getall():
        if url := ok(href):
            return url
    anchors = sel.css("a[href]")
    # Pager links first: "mehr »" in a teaser box is not the next page.
    ranked = sorted(anchors, key=lambda a: not _in_pager(a))
    for anchor in ranked:
        text = " ".join(anchor.xpath("string()").get().split())
        label = f'{anchor.attrib.get("aria-label", "")} {anchor.attrib.get("title", "")}'
        is_next = (text and len(text) <= 25 and (NEXT_WORD.search(text) or NEXT_SYMBOL.match(text))) or (
            re.search(r"nächste|next|weiter", label, re.I) and not re.search(r"zurück|vorherige|prev", label, re.I))
        pager = _in_pager(anchor) or is_pager_url(urljoin(base, anchor.attrib["href"]))
        if is_next and pager and (url := ok(anchor.attrib["href"])):
            return url
    for anchor in ranked:
        if anchor.xpath("string()").get().strip() == str(current_page + 1):
            href = urljoin(base, anchor.attrib["href"])
            if (_in_pager(anchor) or is_pager_url(href)) and (url := ok(href)):
                return url
    return None
