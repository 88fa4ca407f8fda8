"""A plain HTTP client for checking the web itself: fetch, follow ``<a href>`` links, read sitemaps.

Not a crawler to measure (bench/bigweb_baseline.py is that): it exists so the tests of the web
can show that every channel the truth names really lists its releases. It keeps cookies (as
browsers do, so GSB stops rewriting URLs), obeys robots.txt and deduplicates by
:func:`tests.bigweb.truth.normalized`.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import urllib.error
import urllib.request
import urllib.robotparser
from collections import deque
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

from tests.bigweb.truth import normalized

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/html")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, cookies: bool = True, redirects: bool = True) -> None:
        handlers: list = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())] if cookies else []
        if not redirects:
            handlers.append(NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        request = urllib.request.Request(url, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return Fetched(response.geturl(), response.status, {k.lower(): v for k, v in response.headers.items()},
                               response.read())
        except urllib.error.HTTPError as error:
            return Fetched(url, error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def links_of(page: Fetched) -> list[str]:
    if not page.is_html or not page.body:
        return []
    tree = html.fromstring(page.body)
    found = []
    for href in tree.xpath("//a/@href"):
        target, _ = urldefrag(urljoin(page.url, href.strip()))
        if urlsplit(target).netloc == urlsplit(page.url).netloc:
            found.append(target)
    return found


def follow_links(start: str, budget: int = 3000) -> set[str]:
    """Every URL reached from ``start`` over same-host ``<a href>`` links (normalized)."""
    client = Client()
    robots = urllib.robotparser.RobotFileParser(urljoin(start, "/robots.txt"))
    robots.parse(client.get(urljoin(start, "/robots.txt")).body.decode("utf-8", "replace").splitlines())
    queue, seen = deque([start]), {normalized(start)}
    reached: set[str] = set()
    while queue and len(reached) < budget:
        url = queue.popleft()
        page = client.get(url)
        reached |= {normalized(url), normalized(page.url)}
        for link in links_of(page):
            key = normalized(link)
            if key not in seen and robots.can_fetch("*", link):
                seen.add(key)
                queue.append(link)
    return reached


def sitemap_urls(url: str, client: Client | None = None) -> list[str]:
    """The page URLs of a sitemap or sitemap index (gzip or not), recursively."""
    client = client or Client()
    body = client.get(url).body
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    root = etree.fromstring(body)
    locs = [loc.text.strip() for loc in root.iter(f"{SITEMAP_NS}loc")]
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        return [page for child in locs for page in sitemap_urls(child, client)]
    return locs


def robots_sitemaps(base: str) -> list[str]:
    text = Client().get(base + "/robots.txt").body.decode()
    return [urljoin(base, line.split(":", 1)[1].strip()) for line in text.splitlines()
            if line.lower().startswith("sitemap:")]
