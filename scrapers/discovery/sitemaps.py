"""Sitemaps: the whole archive in a few requests, where a site keeps them complete.

Real sites split them: an index (from robots.txt ``Sitemap:`` or the usual paths) points to
yearly, paged (``post-sitemap2.xml``) and news sitemaps, gzipped or not. A news sitemap holds
only the newest items (Google's rule: two days, at most 1 000), so every child is read, not just
the news one. Taxonomy, tag and author sitemaps list archive pages, never releases. A plain url
set lists every page of a site; only URLs that look like press releases are kept. ``lastmod`` is
an edit date, kept apart from the publication date.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

from parsel import Selector

from scrapers.discovery.candidates import Candidate
from scrapers.discovery.feeds import berlin_date, xml_head
from scrapers.discovery.urls import looks_like_release_url, on_site

NOT_RELEASE_SITEMAP = re.compile(
    r"taxonom|users?[-_.]|author|autor|categor|[-_/]tags?[-_.]|kategorie|schlagw|attachment|media|image|video", re.I)
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml.gz")
PRESS_SITEMAP = re.compile(r"news|presse|post|meldung|artikel|mitteilung|article", re.I)
MAX_UNZIPPED = 50 * 1024 * 1024  # a sitemap may hold 50 000 URLs in 50 MB; more is a bomb


def robots_sitemaps(body: bytes, base: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [urljoin(base, m.strip()) for m in re.findall(r"^\s*sitemap\s*:\s*(\S+)", text, re.I | re.M)]


def probe_sitemap_urls(start_url: str) -> list[str]:
    return [urljoin(start_url, p) for p in SITEMAP_PATHS]


def unzip(body: bytes) -> bytes:
    """A gzipped sitemap's bytes, bounded (a gzip bomb yields nothing, not 10 GB)."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(body, MAX_UNZIPPED)
        return b"" if inflater.unconsumed_tail else out
    except (OSError, EOFError, zlib.error):
        return b""


def is_sitemap(body: bytes) -> bool:
    head = xml_head(unzip(body))
    return b"<urlset" in head or b"<sitemapindex" in head


@dataclass
class Sitemap:
    children: list[str]  # a sitemap index: the sitemaps it lists, press-like first
    urls: list[Candidate]  # a url set: every URL with lastmod (or news publication date)
    news: bool = False  # a news sitemap: every entry is a news item


def parse_sitemap(body: bytes, base: str) -> Sitemap:
    sel = Selector(body=unzip(body) or b"<x/>", type="xml")
    sel.remove_namespaces()
    children = [urljoin(base, u.strip()) for u in sel.xpath("//sitemapindex/sitemap/loc/text()").getall()]
    children = [u for u in children if not NOT_RELEASE_SITEMAP.search(u)]
    children.sort(key=lambda u: not PRESS_SITEMAP.search(u))
    urls, news = [], bool(sel.xpath("//url/news"))
    for node in sel.xpath("//urlset/url"):
        loc = (node.xpath("loc/text()").get() or "").strip()
        if not loc:
            continue
        title = " ".join((node.xpath("news/title/text()").get() or "").split()) or None
        published = berlin_date(node.xpath("news/publication_date/text()").get())
        urls.append(Candidate(urljoin(base, loc), title, published, berlin_date(node.xpath("lastmod/text()").get())))
    return Sitemap(children, urls, news)


def sitemap_releases(sitemap: Sitemap, start_urls: tuple[str, ...], allowed: tuple[str, ...]) -> list[Candidate]:
    """The entries of a url set that look like releases, newest first (undated last)."""
    if sitemap.news:
        found = [c for c in sitemap.urls if on_site(c.url, allowed)]
    else:
        found = [c for c in sitemap.urls if on_site(c.url, allowed) and looks_like_release_url(c.url, start_urls)]
    return sorted(found, key=lambda c: c.date or c.lastmod or date.min, reverse=True)
