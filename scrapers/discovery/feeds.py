"""Feeds (RSS 2.0, RSS 1.0/RDF, Atom): the cheapest channel, and the shortest.

Press feeds hold the latest 10–20 items, so a feed tells what is new, never what the archive
holds: the spider reads it beside the other channels, not instead of them. Feed dates are
instants, mostly in UTC: a release published at 00:30 Berlin time is dated the day before in
UTC, so every instant is turned into the Europe/Berlin calendar date, the date the press office
printed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from parsel import Selector

from scrapers.dates import parse_german_date
from scrapers.discovery.candidates import Candidate, dedupe

BERLIN = ZoneInfo("Europe/Berlin")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
              "text/xml", "application/xml")
# Probed when a page links no feed: WordPress, Drupal, TYPO3 tx_news defaults, hand-made sites.
FEED_PATHS = ("/feed/", "/rss.xml", "/atom.xml", "/rss", "/feed.xml")
PRESS_WORDS = re.compile(r"presse|news|meldung|aktuell|mitteilung|nachricht", re.I)


def feed_links(sel: Selector, base: str) -> list[str]:
    """Feeds a page announces, press-like ones first; comment feeds are not news."""
    out = []
    for link in sel.css("link[rel~=alternate], a[type*=rss], a[type*=atom]"):
        kind, href = (link.attrib.get("type") or "").lower(), link.attrib.get("href")
        title = (link.attrib.get("title") or "").lower()
        if kind in FEED_TYPES and href and "comment" not in href and "kommentar" not in title:
            out.append((not PRESS_WORDS.search(href + title), urljoin(base, href.strip())))
    return list(dict.fromkeys(url for _, url in sorted(out, key=lambda t: t[0])))


def probe_feed_urls(start_url: str) -> list[str]:
    return [urljoin(start_url, p) for p in FEED_PATHS]


def xml_head(body: bytes) -> bytes:
    return body[:1000].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


def is_feed(body: bytes, content_type: str | None) -> bool:
    head = xml_head(body)
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        return True
    return any(t in (content_type or "").lower() for t in ("rss", "atom")) and head.startswith(b"<")


def parse_feed(body: bytes, base: str) -> list[Candidate]:
    sel = Selector(body=body, type="xml")
    sel.remove_namespaces()
    out = []
    for item in sel.xpath("//item | //entry"):
        link = (item.xpath("link[not(@rel) or @rel='alternate']/@href").get()
                or item.xpath("link/text()").get() or item.xpath("guid[not(@isPermaLink='false')]/text()").get())
        if not link or not link.strip().startswith(("http", "/")):
            continue
        title = " ".join((item.xpath("title/text()").get() or "").split()) or None
        raw = item.xpath("pubDate/text() | published/text() | date/text() | issued/text()").get() \
            or item.xpath("updated/text()").get()
        out.append(Candidate(urljoin(base, link.strip()), title, berlin_date(raw)))
    return dedupe(out)


def berlin_date(raw: str | None) -> date | None:
    """The calendar date in Berlin of a feed or sitemap timestamp (RFC 822, ISO 8601, German)."""
    if not raw:
        return None
    raw = raw.strip()
    instant: datetime | None = None
    try:
        instant = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            instant = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                return date.fromisoformat(raw[:10])
            except ValueError:
                return parse_german_date(raw)
    if instant.tzinfo is None:
        return instant.date()
    return instant.astimezone(BERLIN).date()
