"""The generic source spider: start URL → discovery (feed, sitemap, listing) → releases."""

from __future__ import annotations

from datetime import date

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scrapers import discovery
from scrapers.discovery import Candidate
from scrapers.items import PageItem
from scrapers.sources import Source


def _headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


class SourceSpider(scrapy.Spider):
    """Subclassed per source by the loader, which sets ``name`` and ``source``."""

    name = "source"
    source: Source

    def __init__(self, *args, since: str | None = None, max_pages: str | int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.since = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        self.candidates: dict[str, Candidate] = {}
        self.discovery_mode: str | None = None
        self.listing_complete = False
        self.failure: str | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        kwargs.setdefault("since", settings.get("KI_MONITOR_SINCE") or cls.source.since)
        kwargs.setdefault("max_pages", settings.get("KI_MONITOR_MAX_PAGES") or cls.source.max_pages)
        return super().from_crawler(crawler, *args, **kwargs)

    @property
    def hints(self) -> dict[str, str]:
        return self.source.hints

    # -- start -----------------------------------------------------------------------------
    async def start(self):
        yield scrapy.Request(self.source.url, callback=self.parse_start, errback=self.start_failed)

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

    def parse_start(self, response: Response):
        if response.status >= 400:
            self.failure = f"start URL answered HTTP {response.status}"
            return
        if discovery.is_feed(response.body, response.headers.get("Content-Type", b"").decode()):
            yield from self.parse_feed(response)
            return
        if not isinstance(response, TextResponse):
            self.failure = f"start URL is not a web page ({response.headers.get('Content-Type', b'?').decode()})"
            return
        mode = self.source.discovery
        if mode in ("auto", "feed") and (feeds := discovery.feed_links(response.selector, response.url)):
            yield self.page_item(response, "listing")
            yield response.follow(feeds[0], callback=self.parse_feed, errback=self.feed_failed,
                                  cb_kwargs={"listing": response})
            return
        yield from self.parse_listing(response)

    def feed_failed(self, failure: Failure):
        listing = failure.request.cb_kwargs["listing"]
        self.logger.warning("feed %s failed, reading the page as a listing", failure.request.url)
        yield from self.parse_listing(listing, store=False)

    # -- feeds and listings ---------------------------------------------------------------
    def parse_feed(self, response: Response, listing: Response | None = None):
        found = discovery.parse_feed(response.body, response.url)
        if not found and listing is not None:
            yield from self.parse_listing(listing, store=False)
            return
        self.discovery_mode = "feed"
        yield self.page_item(response, "feed")
        self.listing_complete = True
        yield from self.follow_candidates(response, found)

    def parse_listing(self, response: Response, page: int = 1, store: bool = True):
        self.discovery_mode = self.discovery_mode or "listing"
        if store:
            yield self.page_item(response, "listing")
        found = discovery.release_links(response.selector, response.url, self.hints)
        yield from self.follow_candidates(response, found)
        older = self.since and found and all(c.date and c.date < self.since for c in found)
        nxt = discovery.next_page(response.selector, response.url, page, self.hints.get("next"))
        if nxt is None or older:
            self.listing_complete = nxt is None
        elif self.max_pages is None or page < self.max_pages:
            yield response.follow(nxt, callback=self.parse_listing, cb_kwargs={"page": page + 1})

    def follow_candidates(self, response: Response, found: list[Candidate]):
        for cand in found:
            if cand.url in self.candidates or (self.since and cand.date and cand.date < self.since):
                continue
            self.candidates[cand.url] = cand
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
            self.logger.error("release %s failed: %s", failure.request.url, failure.getErrorMessage())
