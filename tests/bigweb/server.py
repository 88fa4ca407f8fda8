"""One real HTTP server per simulated site, with the politeness real servers show.

Every response gets an ``ETag`` and/or ``Last-Modified`` (as the site's ``validators`` say) and a
conditional request with a matching ``If-None-Match`` or a not-older ``If-Modified-Since`` is
answered ``304``. Every request is logged (method, target, status) for the tests and the bench.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.bigweb.model import UTC, Request, Response, Site


class SiteServer:
    """Serves one site on 127.0.0.1 in a background thread and remembers every request."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, int]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.answer))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=f"bigweb-{site.slug}",
                                       daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def answer(self, request: Request) -> Response:
        with self.lock:
            response = self._route(request)
            response = with_validators(request, response, self.site.validators)
            if self.site.cache_control and response.status in (200, 304):
                response.headers.setdefault("Cache-Control", self.site.cache_control)
            self.log.append((request.method, request.target, response.status))
        return response

    def _route(self, request: Request) -> Response:
        if request.path == "/robots.txt":
            robots = self.site.robots()
            if robots is None:
                return Response(status=404, body=b"Not Found", content_type="text/plain")
            return Response(body=robots.encode(), content_type="text/plain; charset=utf-8")
        try:
            return self.site.respond(request)
        except Exception as exc:  # a bug in the web must show, not hang the crawler
            return Response(status=500, body=f"bigweb error: {exc!r}".encode(), content_type="text/plain")


def with_validators(request: Request, response: Response, validators: str) -> Response:
    if response.status != 200 or validators == "none":
        return response
    headers = dict(response.headers)
    etag = None
    if validators in ("both", "etag"):
        etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
        headers["ETag"] = etag
    modified = response.modified if validators in ("both", "last-modified") else None
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC).replace(microsecond=0), usegmt=True)
    response = Response(response.status, response.body, response.content_type, headers, response.modified)
    if _not_modified(request, etag, modified):
        return Response(304, b"", response.content_type, headers, response.modified)
    return response


def _not_modified(request: Request, etag: str | None, modified) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag is not None and (etag in tags or "*" in tags)
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _handler_for(answer: Callable[[Request], Response]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "Apache"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self._serve(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(body=False)

        def _serve(self, body: bool) -> None:
            response = answer(Request.parse(self.command, self.path, dict(self.headers.items())))
            self.send_response(response.status)
            if response.status != 304:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                if name == "Set-Cookie" and isinstance(value, list):
                    for cookie in value:
                        self.send_header(name, cookie)
                else:
                    self.send_header(name, value)
            payload = response.body if response.status != 304 else b""
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body and payload:
                self.wfile.write(payload)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            return

    return Handler
