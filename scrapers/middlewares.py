"""Conditional GET with validators kept in our own database.

Library notes: Scrapy's RFC 2616 cache sends validators only for pages it deems stale (so a
daily run may skip a changed listing), and its storage keeps every page a second time. We keep
ETag/Last-Modified with each stored fetch, send them on every request, and on ``304`` hand the
spider the stored body, flagged ``cached`` — the same contract as Scrapy's cache middleware.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future

from scrapers.component import DatabaseComponent
from storage.db import transaction
from storage.snapshots import get_body, latest_fetches


class ConditionalGetMiddleware(DatabaseComponent):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.known: dict[str, dict] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    def spider_opened(self, spider) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        with transaction(self.factory) as session:
            for url, f in latest_fetches(session, source.id).items():
                stored = dict(id=f.id, etag=f.etag, last_modified=f.last_modified, sha=f.body_sha256,
                              headers=f.headers, final_url=f.final_url, title=f.title, text=f.text,
                              published=f.published, language=f.language, error=f.error)
                self.known[url] = stored
                self.known.setdefault(f.final_url, stored)

    def process_request(self, request: Request, spider=None) -> None:
        stored = self.known.get(request.url)
        if stored is None or request.meta.get("dont_revalidate"):
            return None
        if stored["etag"]:
            request.headers.setdefault("If-None-Match", stored["etag"])
        if stored["last_modified"]:
            request.headers.setdefault("If-Modified-Since", stored["last_modified"])
        return None

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        stored = self.known.get(request.url)
        if response.status != 304 or stored is None:
            return response
        with transaction(self.factory) as session:
            body = get_body(session, stored["sha"])
        if body is None:  # stored body lost: fetch it again without validators
            return request.replace(headers={k: v for k, v in request.headers.items()
                                            if k not in (b"If-None-Match", b"If-Modified-Since")},
                                   meta={**request.meta, "dont_revalidate": True}, dont_filter=True)
        self.crawler.stats.inc_value("ki_monitor/not_modified")
        headers = Headers(stored["headers"] or {})
        cls = responsetypes.from_args(headers=headers, url=stored["final_url"], body=body)
        request.meta["stored_fetch"] = stored
        return cls(url=stored["final_url"], status=200, headers=headers, body=body, request=request,
                   flags=[*response.flags, "cached"])


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but spaced out: 5xx and timeouts come back after ``base × 2ⁿ``
    seconds (or the server's ``Retry-After``), so a struggling site is not hammered.

    The wait happens before the retried request enters its site's download slot, so other
    sites keep downloading meanwhile.
    """

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def process_response(self, request: Request, response: Response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._schedule(result, response.headers.get("Retry-After"))
        return result

    def process_exception(self, request: Request, exception: Exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._schedule(result, None)
        return result

    def _schedule(self, retry: Request, retry_after: bytes | None) -> None:
        delay = self.base * 2 ** (retry.meta.get("retry_times", 1) - 1)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        retry.meta["backoff_delay"] = min(delay, self.cap)
        self.crawler.stats.inc_value("retry/backoff_seconds", retry.meta["backoff_delay"])

    async def process_request(self, request: Request, spider=None) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay:
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return None
