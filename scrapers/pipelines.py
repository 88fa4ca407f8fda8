"""Item pipelines and the run recorder: extract beside the crawl, store every fetch.

Extraction (trafilatura, PDF) is CPU work; it runs in a worker process so the reactor keeps
downloading while pages are parsed (a 2-core machine crawls and extracts at the same time).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime

from scrapy import signals

from scrapers.component import DatabaseComponent
from scrapers.items import PageItem
from storage.db import transaction
from storage.models import Fetch, Run, RunSource, Source
from storage.snapshots import put_body

KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "cache-control", "expires",
                "content-language", "content-disposition")

_pool: Executor | None = None
_writer: ThreadPoolExecutor | None = None


def db_writer() -> ThreadPoolExecutor:
    """One writer thread per crawl process: batches are written in order, one at a time."""
    global _writer
    if _writer is None:
        _writer = ThreadPoolExecutor(1, thread_name_prefix="ki-monitor-store")
    return _writer


def extract_in_worker(*args):
    # Imported here: the crawl process itself never needs trafilatura (~35 MB) when a worker
    # process does the extraction.
    from scrapers.extract import extract

    return extract(*args)


def extraction_pool(workers: int) -> Executor | None:
    """One pool per process, shared by every spider of a multi-source crawl."""
    global _pool
    if workers <= 0:
        return None
    if _pool is None:
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def now() -> datetime:
    return datetime.now(UTC)


class ExtractPipeline:
    def __init__(self, crawler) -> None:
        self.workers = crawler.settings.getint("KI_MONITOR_EXTRACT_WORKERS", 1)
        self.later = crawler.settings.getbool("KI_MONITOR_EXTRACT_LATER")

    @classmethod
    def from_crawler(cls, crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem, spider=None) -> PageItem:
        if item.kind != "release" or item.status != 200 or (item.not_modified and item.text) or self.later:
            return item  # a 304 carries the stored extraction of the same body
        args = (item.body, item.final_url, item.headers.get("content-type"), item.hints)
        pool = extraction_pool(self.workers)
        if pool is None:
            result = extract_in_worker(*args)
        else:
            result = await asyncio.wrap_future(pool.submit(extract_in_worker, *args))
        _apply(item, result)
        return item


def _apply(item: PageItem, result) -> None:
    for key, value in asdict(result).items():
        setattr(item, key, value)


class StorePipeline(DatabaseComponent):
    """Every fetch becomes a ``Fetch`` row; bodies are stored once per distinct content.

    Rows are written in small batches (one transaction each): per-row commits cost more than
    the crawl itself on a fast site. A crawl killed with a batch in memory loses nothing the
    next run does not fetch again, since no validators were stored for those pages.
    """

    BATCH = 25
    MAX_AGE = 2.0  # seconds an item may wait for its batch

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.buffer: list[PageItem] = []
        self.oldest = 0.0
        self.writes: list[Future] = []

    def process_item(self, item: PageItem, spider=None) -> PageItem:
        if not self.buffer:
            self.oldest = time.monotonic()
        self.buffer.append(item)
        if len(self.buffer) >= self.BATCH or time.monotonic() - self.oldest > self.MAX_AGE:
            self.flush()
        return item

    async def close_spider(self, spider=None) -> None:
        self.flush()
        for write in self.writes:
            await asyncio.wrap_future(write)  # raises what the writer raised

    def flush(self) -> None:
        """Hand the batch to the writer thread: the reactor keeps downloading while SQLite
        waits for its write lock (ki-monitor diffs and analyses in the same database)."""
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        run_id = getattr(self.crawler.spider, "run_id", None)
        self.writes = [w for w in self.writes if not w.done() or w.exception()]
        self.writes.append(db_writer().submit(self.write, batch, run_id))
        for item in batch:
            self.crawler.stats.inc_value(f"ki_monitor/stored/{item.kind}")

    def write(self, batch: list[PageItem], run_id: int | None) -> None:
        with transaction(self.factory) as session:
            for item in batch:
                session.add(self.fetch_row(session, item, run_id))

    @staticmethod
    def fetch_row(session, item: PageItem, run_id: int | None) -> Fetch:
        """A ``304`` row records the check, not the content again: its body is the stored one
        (by hash) and its text stays with the fetch that extracted it, so the database grows
        with the content, not with the number of runs."""
        sha = put_body(session, item.body) if item.body else None
        return Fetch(
            run_id=run_id, source_id=item.source_id, url=item.url,
            final_url=item.final_url, kind=item.kind,
            status=304 if item.not_modified else item.status, not_modified=item.not_modified,
            content_type=item.headers.get("content-type"), etag=item.headers.get("etag"),
            last_modified=item.headers.get("last-modified"),
            headers={k: v for k, v in item.headers.items() if k in KEPT_HEADERS},
            fetched_at=now(), body_sha256=sha, title=item.title, text=None if item.not_modified else item.text,
            published=item.published, language=item.language, listing_title=item.listing_title,
            listing_date=item.listing_date, error=item.error,
        )


class RunRecorder(DatabaseComponent):
    """Opens the per-source run record when a spider starts and fills in its figures at the end.

    ``ki-monitor run`` passes ``KI_MONITOR_RUN_ID``; a hand ``scrapy crawl`` opens its own run.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.run_id = crawler.settings.getint("KI_MONITOR_RUN_ID") or None
        self.own_run = self.run_id is None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_opened(self, spider) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        with transaction(self.factory) as session:
            if self.own_run:
                run = Run(started_at=now(), status="running", trigger="scrapy")
                session.add(run)
                session.flush()
                self.run_id = run.id
            row = session.get(Source, source.id) or Source(id=source.id, created_at=now())
            row.name, row.ki, row.url, row.discovery = source.name, source.ki, source.url, source.discovery
            row.enabled, row.config = source.enabled, source.to_config()
            session.merge(row)
            session.merge(RunSource(run_id=self.run_id, source_id=source.id, started_at=now(), status="running"))
        spider.run_id = self.run_id

    def spider_closed(self, spider, reason: str) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        stats = self.crawler.stats.get_stats()
        prefix = "downloader/response_status_count/"
        responses = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}
        # Not log_count/ERROR: Scrapy counts log records process-wide, so one broken site's
        # errors would show up in every other source crawled by the same process.
        errors = len(getattr(spider, "errors", ())) + stats.get("spider_exceptions/count", 0)
        failure = getattr(spider, "failure", None)
        with transaction(self.factory) as session:
            rs = session.get(RunSource, (self.run_id, source.id))
            rs.finished_at = now()
            rs.requests = stats.get("downloader/request_count", 0)
            rs.responses = responses
            rs.bytes = stats.get("downloader/response_bytes", 0)
            rs.discovery = getattr(spider, "walk", None)
            rs.channels = spider.channel_report() if hasattr(spider, "channel_report") else None
            rs.candidates = len(getattr(spider, "candidates", ()))
            rs.complete = bool(getattr(spider, "listing_complete", False)) and failure is None
            # Added, not set: the differ may already have counted failed releases of this run.
            rs.errors = (rs.errors or 0) + errors + (1 if failure else 0)
            rs.error_text = failure or (None if reason == "finished" else f"crawl ended: {reason}") \
                or rs.error_text or (spider.errors[0] if getattr(spider, "errors", None) else None)
            rs.status = "failed" if failure or reason != "finished" else "ok"
            if self.own_run:
                run = session.get(Run, self.run_id)
                run.finished_at, run.status = now(), "ok" if rs.status == "ok" else "partial"
