"""Serves demo sites over HTTP on 127.0.0.1, one port per site, with conditional GET."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from monitor.demoweb.site import Page, Site


def _not_modified(headers, page: Page) -> bool:
    if (tags := headers.get("If-None-Match")) is not None:
        return page.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
    if since := headers.get("If-Modified-Since"):
        try:
            return page.modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _injected_failure(site: Site, path: str) -> int | None:
    """``site.failures[path]``: a status answered every time, or a list answered once each
    (``[503, 503]``: two failures, then the page) to test retries."""
    rule = site.failures.get(path)
    if isinstance(rule, list):
        if not rule:
            return None
        return rule.pop(0)
    return rule


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "DemoCMS/1.0"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def _answer(self, with_body: bool) -> None:
            path = self.path
            if delay := site.delays.get(path):
                time.sleep(delay)  # a slow site: the crawler's timeout must give up first
            if (status := _injected_failure(site, path)) is not None:
                site.hits.append((path, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if target := site.redirects.get(path):
                site.hits.append((path, 301))
                self.send_response(301)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            page = site.pages().get(path)
            if page is None:
                site.hits.append((path, 404))
                body = b"<html><body><h1>404 Seite nicht gefunden</h1></body></html>"
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)
                return
            if _not_modified(self.headers, page):
                site.hits.append((path, 304))
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            site.hits.append((path, 200))
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", page.last_modified)
            self.end_headers()
            if with_body:
                self.wfile.write(page.body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

    return Handler


@dataclass
class DemoWeb:
    """Running demo sites; ``stop()`` (or leaving the ``with`` block) shuts them down."""

    sites: dict[str, Site]
    servers: list[ThreadingHTTPServer] = field(default_factory=list)

    def __getitem__(self, site_id: str) -> Site:
        return self.sites[site_id]

    def __enter__(self) -> DemoWeb:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.servers.clear()


def start_demo_web(sites: list[Site], host: str = "127.0.0.1") -> DemoWeb:
    web = DemoWeb({s.id: s for s in sites})
    for site in sites:
        server = ThreadingHTTPServer((host, 0), _handler_for(site))
        server.daemon_threads = True
        site.base_url = f"http://{host}:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, name=f"demoweb-{site.id}", daemon=True).start()
        web.servers.append(server)
    return web
