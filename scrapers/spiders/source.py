"""The generic source spider: start URLs → every discovery channel → the union of releases.

A new source is **backfilled**: from each start URL the spider reads the feeds the pages
announce or the usual paths serve, robots.txt and every sitemap it leads to (indexes, yearly,
paged and news sitemaps), the press list with all its pages, the year and month archives, and
the hop from a home page to its press section — and takes the union, since real sites keep a
feed of the newest 10, a news sitemap of the newest 20, a list whose older pages moved to
archives. A later run is **daily**: it re-reads the channels that held releases before and the
first list pages (conditional GET makes them 304s), goes deeper only while pages show unknown
releases, fetches the releases it has not seen, and revalidates the known ones its news
channels list where a 304 is possible (see ``scrapers.history``). Every ``full_walk`` interval the run is a **full**
walk again, to notice edits and removals deep in the archive.

Every request of a source counts against its page budget (``max_pages``). Each release is
fetched under one URL: session ids, tracking parameters and print/contrast/language variants
are stripped before the request, and ``rel=canonical`` and redirects after it decide the URL it
is stored under (aliases are not fetched again).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from functools import cached_property
from hashlib import sha256
from urllib.parse import urljoin

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scrapers.discovery import archives, feeds, hop, listings, pagination, sitemaps, tags
from scrapers.discovery.candidates import Candidate
from scrapers.discovery.urls import (
    canonical_url,
    is_root,
    netloc,
    on_site,
    same_tenant,
    tenant,
    url_shape,
)
from scrapers.encoding import decode_html
from scrapers.history import SourceHistory, load_history
from scrapers.items import PageItem
from scrapers.sources import Source

MAX_SITEMAPS = 400  # child sitemaps followed from indexes (a portal with yearly and paged ones)
ERROR_STATUSES = list(range(400, 600))
# What a daily run reads: the newest items, whose known releases it may revalidate.
NEWS_CHANNELS = ("feed", "listing", "hop")
# Links that carry a session id: the page's bytes change with every visit.
SESSION_IN_LINKS = re.compile(rb"""href=["'][^"']*(?:;jsessionid=|[?&](?:amp;)?(?:sid|phpsessid|jsessionid|sessionid)=)""", re.I)
CHANNELS = ("feed", "sitemap", "listing", "archive", "hop", "tag", "related")
SHAPE_SUPPORT = 3  # releases of one URL shape before links of that shape on release pages count


def _headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _now(setting: str | None) -> datetime:
    """The run's clock: ``KI_MONITOR_NOW`` (ISO) in tests, else the wall clock."""
    if setting:
        when = datetime.fromisoformat(setting)
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime.now(UTC)


class SourceSpider(scrapy.Spider):
    """Subclassed per source by the loader, which sets ``name`` and ``source``."""

    name = "source"
    source: Source
    family_hints: dict[str, str] = {}  # set by the CMS family base spiders

    def __init__(self, *args, since: str | None = None, max_pages: str | int | None = None,
                 discover_only: bool | str = False, walk: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.since = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else self.source.max_pages
        self.discover_only = discover_only in (True, "1", "true", "True")
        self.forced_walk = walk
        self.history = SourceHistory()
        self.walk = "backfill"  # backfill | full | daily, decided when the crawler is known
        self.candidates: dict[str, Candidate] = {}
        self.found_by: dict[str, set[str]] = defaultdict(set)  # channel → release URLs it listed
        self.pages: Counter[str] = Counter()  # channel → pages requested
        self.requested: set[str] = set()
        self.list_pages: set[str] = set()  # pages requested as lists (start URLs, pages, archives, tags)
        self.emitted: dict[str, str] = {}  # canonical release URL → URL it was fetched under
        self.bodies: dict[str, str] = {}  # body hash → canonical URL (one article under two paths)
        self.aliases = 0
        self.budget_exhausted = False
        self.listing_errors = 0
        self.failure: str | None = None
        self.errors: list[str] = []
        self.run_id: int | None = None
        self.started_hosts: set[str] = set()
        self.shapes: Counter[str] = Counter()  # URL shapes of releases the channels listed
        self.session_ids = False  # a page of this run embedded session ids in its links
        self.pending_related: dict[str, Candidate] = {}  # followed once the lists are walked

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        kwargs.setdefault("since", settings.get("KI_MONITOR_SINCE") or cls.source.since)
        kwargs.setdefault("max_pages", settings.get("KI_MONITOR_MAX_PAGES") or cls.source.max_pages)
        kwargs.setdefault("discover_only", settings.getbool("KI_MONITOR_DISCOVER_ONLY"))
        kwargs.setdefault("walk", settings.get("KI_MONITOR_WALK") or None)
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_related, signal=signals.spider_idle)
        spider.history = load_history(settings.get("KI_MONITOR_DB"), cls.source.id)
        spider.walk = spider.choose_walk(_now(settings.get("KI_MONITOR_NOW")))
        return spider

    def choose_walk(self, now: datetime) -> str:
        """backfill for a source never crawled, full when the last complete walk is older than
        ``full_walk``, daily otherwise; ``--walk`` (``KI_MONITOR_WALK``) overrides."""
        if self.forced_walk in ("backfill", "full", "daily"):
            return self.forced_walk
        if not self.history.has_run or self.history.last_walk is None:
            return "backfill" if not self.history.has_run else "full"
        due = (now - self.history.last_walk).total_seconds() >= self.source.full_walk_seconds - 3600
        return "full" if due else "daily"

    @property
    def deep(self) -> bool:
        """Walk every channel to its end (a backfill or a full walk), not just the news."""
        return self.walk in ("backfill", "full")

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """The source's sites; asked for every link, so computed once."""
        return self.source.allowed_hosts

    @cached_property
    def tenants(self) -> list[dict[str, str]]:
        """The press offices the start URLs name on a shared platform (empty: not a platform)."""
        return [t for u in self.source.start_urls if (t := tenant(u))]

    @property
    def hints(self) -> dict[str, str]:
        return {**self.family_hints, **self.source.hints}

    @property
    def discovery_mode(self) -> str | None:
        """The channels that listed releases, e.g. ``feed+sitemap+listing`` (None: nothing found)."""
        used = [c for c in CHANNELS if self.found_by.get(c)]
        return "+".join(used) or None

    @property
    def listing_complete(self) -> bool:
        """Every channel walked to its end: absence from all of them means a release is gone.
        A feed alone never says that (it holds the newest items only)."""
        walked = any(self.found_by.get(c) for c in ("sitemap", "listing", "archive", "hop", "tag"))
        return self.deep and walked and not self.budget_exhausted and not self.listing_errors and not self.since

    def channel_report(self) -> dict:
        new = [u for u in self.candidates if u not in self.history.known]
        return {
            "mode": self.walk, "pages": {c: self.pages[c] for c in CHANNELS if self.pages[c]},
            "found": {c: len(self.found_by[c]) for c in CHANNELS if self.found_by.get(c)},
            "new": len(new), "known": len(self.candidates) - len(new), "aliases": self.aliases,
            "budget": self.max_pages, "budget_exhausted": self.budget_exhausted, "session_ids": self.session_ids,
        }

    # -- requests within the budget --------------------------------------------------------
    def request(self, url: str, callback, kind: str, *, errback=None, priority: int = 0,
                **cb_kwargs) -> scrapy.Request | None:
        """A request of this source, or None: off its sites, already asked, or over budget."""
        url = canonical_url(url)
        if not on_site(url, self.allowed) or url in self.requested or not same_tenant(url, self.tenants):
            return None
        if len(self.requested) >= self.max_pages:
            if not self.budget_exhausted:
                self.logger.warning("%s: page budget of %d requests reached", self.source.id, self.max_pages)
            self.budget_exhausted = True
            return None
        self.requested.add(url)
        if kind in CHANNELS:
            self.pages[kind] += 1
        if callback == self.parse_listing or kind == "start":
            self.list_pages.add(url)
        # Discovery pages take every status (a 404 page number ends a list); a release's 404 goes
        # to its errback, where the differ learns that it is gone.
        # (handle_httpstatus_all would also keep redirects from being followed: a relaunched
        # site's start URL answers 301.)
        meta = {"channel": kind} if kind == "release" else {"channel": kind, "handle_httpstatus_list": ERROR_STATUSES}
        return scrapy.Request(url, callback=callback, errback=errback or self.step_failed, priority=priority,
                              cb_kwargs=cb_kwargs, meta=meta)

    # -- start -----------------------------------------------------------------------------
    async def start(self):
        for url in self.source.start_urls:
            if req := self.request(url, self.parse_start, "start", errback=self.start_failed):
                yield req
        if not self.deep:
            # Daily: the feeds and sitemaps that answered before, with conditional GET.
            for kind, url in self.history.channels:
                callback = self.parse_feed if kind == "feed" else self.parse_sitemap
                if req := self.request(url, callback, kind):
                    yield req

    def start_failed(self, failure: Failure):
        message = f"start URL {failure.request.url} failed: {failure.getErrorMessage() or failure.type.__name__}"
        self.note_start_failure(message)

    def note_start_failure(self, message: str) -> None:
        self.logger.error(message)
        if len(self.source.start_urls) == 1:
            self.failure = message
        else:
            self.errors.append(message)

    def page_item(self, response: Response, kind: str, **extra) -> PageItem:
        stored = response.meta.get("stored_fetch") if "cached" in response.flags else None
        item = PageItem(
            source_id=self.source.id, kind=kind,
            url=(response.request.meta.get("redirect_urls") or [response.request.url])[0] if response.request else response.url,
            final_url=response.meta.get("canonical") or response.url, status=response.status,
            headers=_headers(response), body=response.body, not_modified=stored is not None, hints=self.hints, **extra,
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
            self.note_start_failure(f"start URL {response.url} answered HTTP {response.status}")
            return
        body, ctype = response.body, _content_type(response)
        if feeds.is_feed(body, ctype):
            yield from self.parse_feed(response)
            return
        if sitemaps.is_sitemap(body):
            yield from self.parse_sitemap(response)
            return
        if not isinstance(response, TextResponse):
            self.note_start_failure(f"start URL {response.url} is not a web page ({ctype or '?'})")
            return
        sel = self.selector(response)
        mode = self.source.discovery
        if mode in ("auto", "feed"):
            for url in feeds.feed_links(sel, response.url):
                if req := self.request(url, self.parse_feed, "feed"):
                    yield req
        host = netloc(response.url)
        if self.deep and host not in self.started_hosts:
            self.started_hosts.add(host)
            if mode in ("auto", "feed"):
                for url in feeds.probe_feed_urls(response.url):
                    if req := self.request(url, self.parse_feed, "feed"):
                        yield req
            robots = urljoin(response.url, "/robots.txt")
            if mode in ("auto", "sitemap") and (req := self.request(robots, self.parse_robots, "robots")):
                yield req
        if mode in ("auto", "listing"):
            yield from self.parse_listing(response, channel="listing")

    def step_failed(self, failure: Failure):
        channel = failure.request.meta.get("channel")
        message = f"{channel} page {failure.request.url} failed: {failure.getErrorMessage() or failure.type.__name__}"
        if channel in ("listing", "archive") and failure.request.cb_kwargs.get("page", 1) == 1:
            self.listing_errors += 1
            self.errors.append(message)
        self.logger.info(message)

    @staticmethod
    def _usable(response: Response) -> bool:
        return response.status == 200 and bool(response.body)

    # -- feeds -----------------------------------------------------------------------------
    def parse_feed(self, response: Response):
        if not (self._usable(response) and feeds.is_feed(response.body, _content_type(response))):
            return
        yield self.page_item(response, "feed")
        yield from self.follow_candidates(feeds.parse_feed(response.body, response.url), "feed")

    # -- sitemaps --------------------------------------------------------------------------
    def parse_robots(self, response: Response):
        declared = sitemaps.robots_sitemaps(response.body, response.url) if self._usable(response) else []
        for url in declared or sitemaps.probe_sitemap_urls(response.url):
            if req := self.request(url, self.parse_sitemap, "sitemap"):
                yield req

    def parse_sitemap(self, response: Response):
        if not (self._usable(response) and sitemaps.is_sitemap(response.body)):
            return
        sitemap = sitemaps.parse_sitemap(response.body, response.url)
        # Stored even when it holds no release: tomorrow it answers 304 instead of its bytes.
        yield self.page_item(response, "sitemap")
        for url in sitemap.children[: max(0, MAX_SITEMAPS - self.pages["sitemap"])]:
            if req := self.request(url, self.parse_sitemap, "sitemap"):
                yield req
        found = sitemaps.sitemap_releases(sitemap, self.source.start_urls, self.allowed)
        yield from self.follow_candidates(found, "sitemap")

    # -- listing pages, their pages, archives and the hop ------------------------------------
    def parse_listing(self, response: Response, channel: str = "listing", page: int = 1, hops: int = 0):
        if response.status >= 400:
            if page == 1 and channel in ("listing", "hop"):
                self.listing_errors += 1
                self.errors.append(f"{channel} page {response.url} answered HTTP {response.status}")
            return  # a page number past the end answers 404: the list simply ends
        if not isinstance(response, TextResponse):
            return
        sel = self.selector(response)
        self.session_ids = self.session_ids or bool(SESSION_IN_LINKS.search(response.body))
        # Pages already walked as lists are not releases; releases already requested still are.
        found = listings.release_links(sel, response.url, self.allowed, self.hints, exclude=self.list_pages)
        yield self.page_item(response, "listing")
        if hops < 2 and (is_root(response.url) or len(found) < 3):
            for url in hop.press_page_links(sel, response.url, self.allowed):
                if req := self.request(url, self.parse_listing, "hop", channel="hop", hops=hops + 1):
                    yield req
        unknown = [c for c in found if canonical_url(c.url) not in self.history.known]
        yield from self.follow_candidates(found, channel)
        if self.deep:
            # Archive links sit on list pages and on archive overviews that list no release.
            for url in archives.archive_links(sel, response.url, self.allowed):
                if not self._before_since(url) and (req := self.request(url, self.parse_listing, "archive",
                                                                        channel="archive", hops=2)):
                    yield req
        if not found:
            return
        older = self.since and all(c.date and c.date < self.since for c in found)
        if older or not (self.deep or unknown):
            return  # daily: a page of known releases means the rest is known too
        nxt = pagination.next_page(sel, response.url, self.allowed, page, self.hints.get("next"))
        more = [nxt] if nxt else []
        if self.deep and not self.since:
            # Every page the pager shows; with ``since`` the walk stays sequential, so it can
            # stop at the first page of older releases.
            more += pagination.pager_links(sel, response.url, self.allowed)
        for url in dict.fromkeys(more):
            if req := self.request(url, self.parse_listing, channel, channel=channel, page=page + 1, hops=2):
                yield req

    def _before_since(self, url: str) -> bool:
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", url)]
        return bool(self.since and years and max(years) < self.since.year)

    def follow_candidates(self, found: list[Candidate], channel: str):
        if self.since and channel == "related":
            return  # related links carry no date: ``since`` could not bound them
        for cand in found:
            url = canonical_url(cand.url)
            when = cand.date or cand.lastmod
            if not on_site(url, self.allowed) or (self.since and when and when < self.since):
                continue
            url = self.history.known.get(url, url)  # an alias seen before: its canonical URL
            self.found_by[channel].add(url)
            if channel != "related":
                self.shapes[url_shape(url)] += 1
            if old := self.candidates.get(url):
                # Another channel listed it first (a sitemap without a title, a related link):
                # the listing's headline and date still count.
                self.candidates[url] = Candidate(url, old.title or cand.title, old.date or cand.date,
                                                 old.lastmod or cand.lastmod)
                continue
            self.candidates[url] = Candidate(url, cand.title, cand.date, cand.lastmod)
            if self.discover_only or not (self.deep or self._edited(url, cand, channel)):
                continue
            if req := self.request(url, self.parse_candidate, "release", errback=self.release_failed,
                                   priority=1, cand=self.candidates[url]):
                yield req

    def _edited(self, url: str, cand: Candidate, channel: str) -> bool:
        """What a daily run fetches: new releases; known ones the news channels list, where a
        revalidation can answer 304 (validators, no session ids: see ``scrapers.history``), so
        an edit of a recent release shows the next day; known ones whose sitemap lastmod is
        newer than their last fetch. Other edits show on the full walk."""
        fetched = self.history.fetched.get(url)
        if url not in self.history.known or fetched is None:
            return True
        if channel in NEWS_CHANNELS and url in self.history.validated and not self.history.session_ids:
            return True
        return bool(cand.lastmod and cand.lastmod > fetched.date())

    def parse_candidate(self, response: Response, cand: Candidate):
        """A page a channel called a release: a list after all (a tag page, an archive) is
        walked as a list; an alias of a release already fetched is dropped; the rest is stored
        under its canonical URL."""
        cand = self.candidates.get(cand.url, cand)  # with what channels said since the request
        if isinstance(response, TextResponse) and response.status == 200 and not _is_pdf(response):
            sel = self.selector(response)
            if listings.looks_like_listing(sel, response.url, self.allowed):
                self.candidates.pop(cand.url, None)
                for found in self.found_by.values():
                    found.discard(cand.url)
                yield from self.parse_listing(response, channel="listing", page=2, hops=2)
                return
            canonical = self._canonical(sel, response)
            digest = sha256(response.body).hexdigest()
            if canonical in self.emitted and self.emitted[canonical] != response.request.url or digest in self.bodies:
                self.aliases += 1
                return
            self.emitted[canonical] = response.request.url
            self.bodies[digest] = canonical
            response.meta["canonical"] = canonical
            if self.deep:
                for found in self.related(sel, response.url):
                    self.pending_related.setdefault(found.url, found)
                for url in tags.tag_links(sel, response.url, self.allowed):
                    if req := self.request(url, self.parse_listing, "tag", channel="tag", hops=2):
                        yield req
        yield from self.parse_release(response, cand)

    def release_related(self) -> None:
        """When the channels are walked: the related links no list named (a list names a
        release with its headline and date, so related links wait until the lists are done)."""
        pending = [c for url, c in self.pending_related.items() if url not in self.candidates]
        self.pending_related.clear()
        requests = list(self.follow_candidates(pending, "related"))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def related(self, sel: Selector, base: str) -> list[Candidate]:
        """Links on a release page shaped like the releases the channels listed ("Weitere
        Meldungen", "Das könnte Sie interessieren"): releases no list or sitemap shows any more."""
        shapes = {shape for shape, n in self.shapes.items() if n >= SHAPE_SUPPORT}
        out = []
        for href in sel.css("a[href]::attr(href)").getall():
            url = canonical_url(urljoin(base, href.strip()).split("#")[0])
            if url not in self.candidates and url_shape(url) in shapes and on_site(url, self.allowed):
                out.append(Candidate(url))
        return out

    def _canonical(self, sel: Selector, response: Response) -> str:
        href = sel.css("link[rel~=canonical]::attr(href)").get()
        if href:
            url = canonical_url(urljoin(response.url, href.strip()))
            if on_site(url, self.allowed) and not is_root(url):
                return url
        return canonical_url(response.url)

    # -- releases --------------------------------------------------------------------------
    def parse_release(self, response: Response, cand: Candidate):
        yield self.page_item(response, "release", listing_title=cand.title, listing_date=cand.date)

    def release_failed(self, failure: Failure):
        cand = failure.request.cb_kwargs["cand"]
        response = getattr(failure.value, "response", None)
        if response is not None:  # 404/410 remove the release; the differ counts the others
            yield self.page_item(response, "release", listing_title=cand.title, listing_date=cand.date)
            return
        first = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
        message = f"release {first} failed: {failure.getErrorMessage() or failure.type.__name__}"
        from scrapy.exceptions import IgnoreRequest

        from scrapers.middlewares import CountedRefusal

        if not failure.check(CountedRefusal):  # our middlewares counted their refusals
            self.errors.append(message)
            self.logger.error(message)
        if failure.check(IgnoreRequest) and not failure.check(CountedRefusal):
            return  # robots.txt forbids it: not ours to keep
        # Stored as a fetch without a reply (status 0): the release was listed and is not
        # "gone from the listing", whatever the network did.
        yield PageItem(source_id=self.source.id, kind="release", url=first, final_url=first,
                       status=0, headers={}, body=b"", listing_title=cand.title, listing_date=cand.date,
                       hints=self.hints, error=message)


def _is_pdf(response: Response) -> bool:
    return response.body[:5] == b"%PDF-" or "pdf" in _content_type(response).lower()
