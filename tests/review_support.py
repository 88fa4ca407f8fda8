"""Helpers for the review page tests: a crawled demo web with a hostile page and an edited
release, the web app on a real HTTP server on 127.0.0.1, and a tiny cookie-keeping client."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from helpers_crawl import FAST_CRAWL
from werkzeug.serving import make_server

from monitor.demoweb import DemoWeb, Entry, start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.runner import RunOptions, run_once
from monitor.web.app import WebConfig, create_app

HOSTILE_SLUG = "besuch-ki-aachen-hostile"
EDITED_SITE, EDITED_SLUG = "aachen", "seed001"
ADDED_SENTENCE = "Zum Abschluss kündigte die Staatssekretärin einen weiteren Besuch im Herbst an."


def hostile_entry() -> Entry:
    """A visit report whose page carries live script, an onerror handler and escaped markup."""
    return Entry(
        slug=HOSTILE_SLUG,
        title='Staatssekretärin besucht KI Aachen <b onmouseover="alert(3)">',
        paragraphs=[
            "Staatssekretärin Serap Güler besuchte heute das Kommunale Integrationszentrum Aachen "
            "und informierte sich über die Arbeit vor Ort.<script>alert(1)</script>",
            'Die Leiterin des Kommunalen Integrationszentrums zeigte Projekte. <img src=x onerror="alert(2)">'
            '<a href="javascript:alert(4)">mehr</a>',
            "Im Text steht auch &lt;script&gt;alert(5)&lt;/script&gt; und &lt;img src=x onerror=alert(6)&gt;.",
        ],
        published=date(2025, 5, 12),
        modified=datetime(2025, 5, 12, 9, 30, tzinfo=UTC),
    )


def companion_entry() -> Entry:
    """The same visit as reported by the ministry: one event, two sources."""
    return Entry(
        slug="gueler-aachen", title="Staatssekretärin Güler besucht Kommunales Integrationszentrum Aachen",
        paragraphs=["Integrationsstaatssekretärin Serap Güler hat am 12. Mai 2025 das Kommunale "
                    "Integrationszentrum Aachen besucht.", "Sie informierte sich über die Arbeit vor Ort."],
        published=date(2025, 5, 12), modified=datetime(2025, 5, 12, 11, 0, tzinfo=UTC), numeric_id=100777,
    )


def make_hostile(web: DemoWeb, site_id: str = "aachen") -> None:
    """The site renders paragraphs as raw HTML (as a compromised CMS would) and has the hostile
    entry; the ministry reports the same visit."""
    site = web.sites[site_id]
    base = type(site.family)

    class RawParagraphs(base):  # type: ignore[misc, valid-type]
        def paragraphs(self, entry: Entry) -> str:
            return "".join(f"<p>{p}</p>" for p in entry.paragraphs)

    site.family = RawParagraphs()
    site.publish(hostile_entry())
    web.sites["land-nrw"].publish(companion_entry())


@dataclass
class Crawled:
    web: DemoWeb
    db: Path
    feeds: Path
    registry: Path
    runs: list[int] = field(default_factory=list)


@contextmanager
def crawled_demo_web(tmp: Path) -> Iterator[Crawled]:
    """Two real runs over the demo web: the first crawl, then one after an edit (two snapshots)."""
    with pytest.MonkeyPatch.context() as mp, start_demo_web(demo_sites()) as web:
        mp.setenv("KI_MONITOR_HOME", str(tmp / "home"))
        mp.delenv("KI_MONITOR_DB", raising=False)
        mp.delenv("KI_MONITOR_SOURCES", raising=False)
        make_hostile(web)
        registry = tmp / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        crawled = Crawled(web, tmp / "ki.db", tmp / "feeds", registry)
        crawled.runs.append(run_job(crawled).run_id)
        site = web.sites[EDITED_SITE]
        site.edit(EDITED_SLUG, [*site.entry(EDITED_SLUG).paragraphs, ADDED_SENTENCE])
        crawled.runs.append(run_job(crawled, walk="full").run_id)  # the full walk revalidates old releases
        yield crawled


def run_job(crawled: Crawled, walk: str | None = None):
    return run_once(RunOptions(db=str(crawled.db), sources=str(crawled.registry), feeds_dir=crawled.feeds,
                               settings=dict(FAST_CRAWL), walk=walk))


@contextmanager
def serve(db: Path, feeds: Path, **config) -> Iterator[str]:
    """The review app on a real HTTP server on 127.0.0.1 (free port); yields its base URL."""
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    config.setdefault("base_url", base)
    server.app = create_app(WebConfig(db=str(db), feeds_dir=feeds, **config))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        refresher = server.app.extensions.get("review_feeds")
        if refresher is not None:
            refresher.wait(60)  # no feed rewrite outlives the test
        server.shutdown()
        thread.join(5)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def eventually(check, timeout: float = 30.0) -> bool:
    """Poll ``check`` until it holds (feeds are rewritten in the background after a correction)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Client:
    """Just enough HTTP: GET and form POST, keeps cookies, never follows redirects."""

    def __init__(self, base: str) -> None:
        self.base = urlsplit(base)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> Reply:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict, **kw) -> Reply:
        return self.request("POST", path, form=form, **kw)
