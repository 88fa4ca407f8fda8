"""Downloader middlewares: the site boundary every request must keep, and conditional GET with
validators kept in our own database.

Site boundary: a watched site is not trusted. Its redirects, meta refreshes and canonicals
could send the crawler to ``127.0.0.1:5432`` or the cloud metadata address and the reply would
be stored and shown in the review UI. So every request, each hop included (redirects come back
through the middlewares as new requests), must go to one of its source's own host:port pairs,
and to no loopback, private, link-local or reserved address unless the source itself lives on
one — checked on the resolved addresses, so a public name pointing inwards is refused too.

Conditional GET (library notes): Scrapy's RFC 2616 cache sends validators only for pages it
deems stale (so a daily run may skip a changed listing), and its storage keeps every page a
second time. We keep
ETag/Last-Modified with each stored fetch, send them on every request, and on ``304`` hand the
spider the stored body, flagged ``cached`` — the same contract as Scrapy's cache middleware.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future

from scrapers.component import DatabaseComponent
from storage.db import transaction
from storage.snapshots import get_body, latest_fetches

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return None
    return parts.hostname.lower().rstrip("."), port


def same_site(url: str, allowed: set[tuple[str, int]]) -> bool:
    """``url`` is on one of the ``allowed`` host:port pairs. As for the spider's own links
    (``scrapers.discovery.urls.on_site``), ``www.`` or not is one site, and so are the http and
    https default ports (``http://stadt.de`` → ``https://www.stadt.de``)."""
    target = host_port(url)
    if target is None:
        return False
    host, port = target
    host = host.removeprefix("www.")
    return any(host == h.removeprefix("www.") and (port == p or {port, p} <= set(DEFAULT_PORTS.values()))
               for h, p in allowed)


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def forbidden_address(infos: Iterable[tuple], private_allowed: bool) -> str | None:
    """The first address of ``getaddrinfo`` results a request must not go to, or None.

    Loopback, private, link-local (169.254.169.254, the metadata service), shared, reserved
    and unspecified addresses are forbidden unless the source itself lives on such an address.
    """
    if private_allowed:
        return None
    return next((info[4][0] for info in infos if _private(info[4][0])), None)


def _resolve(host: str, port: int) -> list[tuple]:
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []  # unresolvable: the download fails with its own DNS error


class CountedRefusal(IgnoreRequest):
    """A request our middlewares gave up on; they count it as an error on the source when
    they raise it (requests without an errback would otherwise vanish without a trace)."""


def refuse(crawler, exc: CountedRefusal) -> CountedRefusal:
    crawler.stats.inc_value("ki_monitor/refused")
    spider = crawler.spider
    if (errors := getattr(spider, "errors", None)) is not None:
        errors.append(str(exc))
    if spider is not None:
        spider.logger.warning("%s", exc)
    return exc


class RefusedHop(CountedRefusal):
    """A request the site boundary refused."""


class SiteBoundaryMiddleware:
    """Refuses every request that leaves its source's site or heads for a private address.

    Runs before robots.txt handling (priority < 100), so a refused host is not even asked for
    its robots.txt. The source's sites are ``source.allowed_hosts`` (its start URLs' host:port
    and its ``hosts``), else its start URL's host:port and any ``hosts`` it has.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.resolved: dict[tuple[str, int], list[tuple]] = {}

    @classmethod
    def from_crawler(cls, crawler) -> SiteBoundaryMiddleware:
        return cls(crawler)

    def allowed_sites(self, source) -> set[tuple[str, int]]:
        """Every start URL's host:port and the source's further ``hosts``."""
        scheme = urlsplit(source.url).scheme
        names = getattr(source, "allowed_hosts", None) or (source.url, *(getattr(source, "hosts", None) or ()))
        return {hp for name in names if (hp := host_port(name if "://" in name else f"{scheme}://{name}"))}

    async def addresses(self, host: str, port: int) -> list[tuple]:
        if (host, port) not in self.resolved:
            try:
                ipaddress.ip_address(host.strip("[]"))
                infos = [(0, 0, 0, "", (host.strip("[]"), port))]
            except ValueError:
                from twisted.internet.threads import deferToThread

                infos = await maybe_deferred_to_future(deferToThread(_resolve, host, port))
            self.resolved[(host, port)] = infos
        return self.resolved[(host, port)]

    async def process_request(self, request: Request, spider=None) -> None:
        source = getattr(self.crawler.spider, "source", None)
        if source is None:
            return None
        why = None
        if not same_site(request.url, self.allowed_sites(source)):
            why = "leaves the site (a host of its own belongs in the source's `hosts`)"
        else:
            host, port = host_port(request.url)  # type: ignore[misc]
            home = host_port(source.url)
            private_allowed = home is not None and forbidden_address(
                await self.addresses(*home), private_allowed=False) is not None
            if address := forbidden_address(await self.addresses(host, port), private_allowed):
                why = f"resolves to the private address {address}"
        if why is None:
            return None
        hops = request.meta.get("redirect_urls") or []
        origin = f" (reached from {hops[0]})" if hops else ""
        raise refuse(self.crawler, RefusedHop(f"refused {request.url}{origin}: {why}"))


class OversizedPage(CountedRefusal):
    """A web page far larger than any press release."""


class PageSizeMiddleware:
    """HTML larger than ``KI_MONITOR_HTML_MAXSIZE`` is refused before it is stored or
    extracted: no press release is that big, and parsing one costs ~10× its size in memory.
    PDFs keep Scrapy's ``DOWNLOAD_MAXSIZE``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("KI_MONITOR_HTML_MAXSIZE", 4 * 1024 * 1024)

    @classmethod
    def from_crawler(cls, crawler) -> PageSizeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if self.limit and len(response.body) > self.limit and "pdf" not in ctype and response.body[:5] != b"%PDF-":
            raise refuse(self.crawler, OversizedPage(
                f"refused {request.url}: a page of {len(response.body) / 1e6:.0f} MB, larger than "
                f"{self.limit / 1e6:.0f} MB (KI_MONITOR_HTML_MAXSIZE)"))
        return response


class RedirectLoopError(CountedRefusal):
    """A redirect back to a URL of the same chain."""


class _LoopAware:
    """Scrapy's redirects, but a loop fails the request (its errback hears of it) instead of
    being dropped in silence by the duplicate filter."""

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise refuse(self.crawler, RedirectLoopError(
                f"redirect loop: {' → '.join([*chain, redirected.url])}"))
        return super()._redirect(redirected, request, reason)


class LoopAwareRedirectMiddleware(_LoopAware, RedirectMiddleware):
    pass


class LoopAwareMetaRefreshMiddleware(_LoopAware, MetaRefreshMiddleware):
    pass


def extracted_texts(session, source_id: str, shas: list[str]):
    """The newest extraction of each of these bodies: (sha, title, text, published, language)."""
    from sqlalchemy import func, select

    from storage.models import Fetch

    if not shas:
        return []
    newest = (select(func.max(Fetch.id)).where(Fetch.source_id == source_id, Fetch.body_sha256.in_(shas),
                                               Fetch.text.is_not(None)).group_by(Fetch.body_sha256))
    return session.execute(select(Fetch.body_sha256, Fetch.title, Fetch.text, Fetch.published, Fetch.language)
                           .where(Fetch.id.in_(newest))).all()


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
            # A 304 row keeps no text (pipelines.StorePipeline): take it from the fetch that
            # extracted the same body.
            lean = {s["id"]: s for s in self.known.values() if s["text"] is None and not s["error"]}
            for row in extracted_texts(session, source.id, [s["sha"] for s in lean.values()]):
                for s in lean.values():
                    if s["sha"] == row.body_sha256 and s["text"] is None:
                        s.update(title=row.title, text=row.text, published=row.published, language=row.language)

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
