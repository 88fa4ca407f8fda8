"""The generic source spider: start URL → discovery (feed, sitemap, listing) → releases.

Discovery ``auto`` tries, in order, until one yields releases: the feeds the start page links,
the usual feed paths, the sitemaps (robots.txt ``Sitemap:``, the usual paths, indexes followed),
then the start page as a listing with pagination. On a site's home page the link to the press
pages ("Pressemitteilungen", "Aktuelles") is followed first. The steps run one request at a
time, so a site that has a feed costs one request more than its start page, not six.
"""

from __future__ import annotations

from collections import deque
from datetime import date

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scrapers import discovery
from scrapers.discovery import Candidate
from scrapers.encoding import decode_html
from scrapers.items import PageItem
from scrapers.sources import Source

MAX_SITEMAPS = 12  # child sitemaps followed from an index
CANDIDATES_PER_PAGE = 20  # sitemap/feed bound: max_pages × this many releases


def _headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _previous_mode(db: str | None, source_id: str) -> str | None:
    from sqlalchemy import select

    from storage.db import open_db
    from storage.models import RunSource

    with open_db(db)() as session:
        return session.scalar(
            select(RunSource.discovery)
            .where(RunSource.source_id == source_id, RunSource.status.in_(("ok", "failed")))
            .order_by(RunSource.started_at.desc()).limit(1))


class SourceSpider(scrapy.Spider):
    """Subclassed per source by the loader, which sets ``name`` and ``source``."""

    name = "source"
    source: Source
    family_hints: dict[str, str] = {}  # set by the CMS family base spiders

    def __init__(self, *args, since: str | None = None, max_pages: str | int | None = None,
                 discover_only: bool | str = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.since = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        self.discover_only = discover_only in (True, "1", "true", "True")
        self.candidates: dict[str, Candidate] = {}
        self.discovery_mode: str | None = None
        self.listing_complete = False
        self.failure: str | None = None
        self.errors: list[str] = []
        self.run_id: int | None = None
        self.steps: deque[tuple[str, str]] = deque()
        self.start_response: Response | None = None
        self.listing_pages: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        self.previous_mode: str | None = None  # what discovery found in the last good run

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        kwargs.setdefault("since", settings.get("KI_MONITOR_SINCE") or cls.source.since)
        kwargs.setdefault("max_pages", settings.get("KI_MONITOR_MAX_PAGES") or cls.source.max_pages)
        kwargs.setdefault("discover_only", settings.getbool("KI_MONITOR_DISCOVER_ONLY"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.previous_mode = _previous_mode(settings.get("KI_MONITOR_DB"), cls.source.id)
        return spider

    @property
    def hints(self) -> dict[str, str]:
        return {**self.family_hints, **self.source.hints}

    @property
    def max_candidates(self) -> int:
        return (self.max_pages or 50) * CANDIDATES_PER_PAGE

    # -- start -----------------------------------------------------------------------------
    async def start(self):
        yield scrapy.Request(self.source.url, callback=self.parse_start, errback=self.start_failed,
                             meta={"handle_httpstatus_all": True})

    def start_failed(self, failure: Failure):
        self.failure = f"start URL {self.source.url} failed: {failure.getErrorMessage() or failure.type.__name__}"
        self.logger.error(self.failure)

    def page_item(self, response: Response, kind: str, **extra) -> PageItem:
        stored = response.meta.get("stored_fetch") if "cached" in response.flags else None
        item = PageItem(
            source_id=self.source.id, kind=kind,
            url=(response.request.meta.get("redirect_urls") or [response.request.url])[0] if response.request else response.url,
            final_url=response.url, status=response.status, headers=_headers(response), body=response.body,
            not_modified=stored is not None, hints=self.hints, **extra,
        )
        if stored and not stored.get("error"):
            item.title, item.text, item.published, item.language = (
                stored["title"], stored["text"], stored["published"], stored["language"])
        return item

    def selector(self, response: Response) -> Selector:
        """Parse with our charset fallback: listing titles survive a wrongly declared charset."""
        return Selector(text=decode_html(response.body, _content_type(response)), base_url=response.url)

    def parse_start(self, response: Response):
        if response.status >= 400:
            self.failure = f"start URL answered HTTP {response.status}"
            return
        body, ctype = response.body, _content_type(response)
        if discovery.is_feed(body, ctype):
            yield from self.parse_feed(response)
            return
        if discovery.is_sitemap(body):
            self.steps.append(("sitemap", response.url))
            yield from self.parse_sitemap(response)
            return
        if not isinstance(response, TextResponse):
            self.failure = f"start URL is not a web page ({ctype or '?'})"
            return
        self.start_response = response
        sel = self.selector(response)
        mode = self.source.discovery
        feeds = discovery.feed_links(sel, response.url)
        if mode == "auto" and self.previous_mode in ("listing", "sitemap") and not feeds:
            # The last good run found no feed: probing the usual paths again costs requests
            # every day for nothing (a failed run brings the full probe back).
            mode = self.previous_mode
        if mode in ("auto", "feed"):
            self.steps += [("feed", u) for u in feeds]
            if not feeds:
                self.steps += [("feed", u) for u in discovery.probe_feed_urls(response.url)]
        if mode in ("auto", "sitemap"):
            self.steps.append(("robots", discovery.urljoin(response.url, "/robots.txt")))
        if mode in ("auto", "listing"):
            self.steps.append(("listing", response.url))
        yield from self.advance()

    # -- the step machine ------------------------------------------------------------------
    def advance(self):
        """Request the next discovery step; the start page as a listing comes last."""
        while self.steps:
            kind, url = self.steps.popleft()
            if kind == "listing":
                yield from self.parse_listing(self.start_response, store=True)
                return
            callback = {"feed": self.parse_feed, "robots": self.parse_robots, "sitemap": self.parse_sitemap}[kind]
            yield scrapy.Request(url, callback=callback, errback=self.step_failed, dont_filter=True,
                                 meta={"handle_httpstatus_all": True, "step": kind})
            return
        if not self.discovery_mode:
            self.failure = self.failure or f"discovery '{self.source.discovery}' found no releases"

    def step_failed(self, failure: Failure):
        self.logger.info("%s %s failed: %s", failure.request.meta.get("step"), failure.request.url,
                         failure.getErrorMessage())
        yield from self.advance()

    def _usable(self, response: Response) -> bool:
        return response.status == 200 and bool(response.body)

    def store_start(self, response: Response):
        """Keep the start page once (its validators make tomorrow's request a 304)."""
        start, self.start_response = self.start_response, None
        if start is not None and start.url != response.url:
            yield self.page_item(start, "listing")

    # -- feeds -----------------------------------------------------------------------------
    def parse_feed(self, response: Response):
        found = discovery.parse_feed(response.body, response.url) if (
            self._usable(response) and discovery.is_feed(response.body, _content_type(response))) else []
        if not found:
            yield from self.advance()
            return
        self.discovery_mode = "feed"
        self.steps.clear()
        yield from self.store_start(response)
        yield self.page_item(response, "feed")
        self.listing_complete = True
        yield from self.follow_candidates(response, found[: self.max_candidates])

    # -- sitemaps --------------------------------------------------------------------------
    def parse_robots(self, response: Response):
        declared = discovery.robots_sitemaps(response.body, response.url) if self._usable(response) else []
        urls = declared or discovery.probe_sitemap_urls(response.url)
        # Sitemaps go before the remaining steps (the listing), in the order found.
        self.steps.extendleft(reversed([("sitemap", u) for u in urls]))
        yield from self.advance()

    def parse_sitemap(self, response: Response):
        self.sitemaps_seen.add(response.url)
        if not (self._usable(response) and discovery.is_sitemap(response.body)):
            yield from self.advance()
            return
        sitemap = discovery.parse_sitemap(response.body, response.url)
        # Stored even when it holds no release: tomorrow it answers 304 instead of its bytes.
        yield self.page_item(response, "sitemap")
        if sitemap.children:
            # An index: its children replace the other sitemap guesses.
            rest = [s for s in self.steps if s[0] != "sitemap"]
            children = [("sitemap", u) for u in sitemap.children if u not in self.sitemaps_seen][:MAX_SITEMAPS]
            self.steps = deque(children + rest)
            yield from self.advance()
            return
        found = discovery.sitemap_releases(sitemap, self.source.url)
        if self.since:
            found = [c for c in found if not (c.date and c.date < self.since)]
        room = self.max_candidates - len(self.candidates)
        if found and room > 0:
            self.discovery_mode = "sitemap"
            self.listing_complete = True
            # Other sitemaps of the same site may hold more releases; other modes are skipped.
            self.steps = deque(s for s in self.steps if s[0] == "sitemap")
            yield from self.store_start(response)
            yield from self.follow_candidates(response, found[:room])
        yield from self.advance()

    # -- listing pages ---------------------------------------------------------------------
    def parse_listing(self, response: Response, page: int = 1, store: bool = True, hopped: bool = False):
        if response.status >= 400:
            self.errors.append(f"listing page {response.url} answered HTTP {response.status}")
            return
        self.listing_pages.add(response.url)
        sel = self.selector(response)
        found = discovery.release_links(sel, response.url, self.hints, exclude=self.listing_pages)
        if page == 1 and not hopped and (discovery.is_root(response.url) or len(found) < 3):
            press = discovery.press_page_link(sel, response.url)
            if press and press not in self.listing_pages:
                yield response.follow(press, callback=self.parse_listing, cb_kwargs={"hopped": True},
                                      meta={"handle_httpstatus_all": True})
                return
        if not found:
            if page == 1:
                self.failure = self.failure or f"no releases found on {response.url}"
            return
        self.discovery_mode = self.discovery_mode or "listing"
        if store:
            yield self.page_item(response, "listing")
        yield from self.follow_candidates(response, found)
        older = self.since and all(c.date and c.date < self.since for c in found)
        nxt = discovery.next_page(sel, response.url, page, self.hints.get("next"), seen=self.listing_pages)
        if nxt is not None and nxt in self.candidates:
            nxt = None
        if nxt is None or older:
            self.listing_complete = nxt is None
        elif self.max_pages is None or page < self.max_pages:
            self.listing_pages.add(nxt)
            yield response.follow(nxt, callback=self.parse_listing, cb_kwargs={"page": page + 1, "hopped": True},
                                  meta={"handle_httpstatus_all": True})

    def follow_candidates(self, response: Response, found: list[Candidate]):
        for cand in found:
            if cand.url in self.candidates or (self.since and cand.date and cand.date < self.since):
                continue
            self.candidates[cand.url] = cand
            if self.discover_only:
                continue
            yield response.follow(cand.url, callback=self.parse_release, errback=self.release_failed,
                                  cb_kwargs={"cand": cand})

    # -- releases --------------------------------------------------------------------------
    def parse_release(self, response: Response, cand: Candidate):
        yield self.page_item(response, "release", listing_title=cand.title, listing_date=cand.date)

    def release_failed(self, failure: Failure):
        response = getattr(failure.value, "response", None)
        if response is not None:  # 404/410 and friends: the differ needs to know
            cand = failure.request.cb_kwargs["cand"]
            yield self.page_item(response, "release", listing_title=cand.title, listing_date=cand.date)
        else:
            message = f"release {failure.request.url} failed: {failure.getErrorMessage() or failure.type.__name__}"
            self.errors.append(message)
            self.logger.error(message)
