"""What operators and readers get from ``ki-monitor serve`` beside the feeds, over real HTTP:
feeds carrying the URL they are served at, ``/healthz``, Prometheus ``/metrics`` (parsed with
the Prometheus client's own parser), ``/feeds.opml``, JSON Feed 1.1; a busy port is one error
line. And feeds keep the configured base URL whoever rewrites them (issue 13)."""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from monitor_env import Env, demo_env, serving
from prometheus_client.parser import text_string_to_metric_families
from review_support import Client, serve
from sqlalchemy import select

from monitor.feeds import feed_specs
from storage.db import open_db
from storage.models import Release

GONE = '\n[[source]]\nid = "gone"\nname = "Gone"\nki = "Aachen"\nurl = "http://127.0.0.1:9/presse/"\n'
PUBLIC = "https://feeds.example.org/ki"


def ki_monitor(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


@dataclass
class Served:
    env: Env
    base: str

    def get(self, path: str) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(urlsplit(self.base).netloc, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """One run of the demo web plus a source that is down (partial), served on a free port."""
    with demo_env(tmp_path_factory.mktemp("ops-serve")) as env:
        env.registry.write_text(env.registry.read_text("utf-8") + GONE, "utf-8")
        assert env.run().status == "partial"
        with serving(env.db, env.feeds) as base:
            yield Served(env, base)


def private_copy(env: Env, tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    with sqlite3.connect(env.db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    return db


def assert_links_point_at(folder: Path, base: str) -> None:
    rss = feedparser.parse((folder / "ki-news.xml").read_bytes())
    atom = feedparser.parse((folder / "ki-news.atom").read_bytes())
    assert rss.bozo == atom.bozo == 0
    assert rss.feed.link == f"{base}/feeds/"
    assert {link.href for link in rss.feed.links if link.rel == "self"} == {f"{base}/feeds/ki-news.xml"}
    assert atom.feed.id == f"{base}/feeds/ki-news"
    assert {link.href for link in atom.feed.links if link.rel == "self"} == {f"{base}/feeds/ki-news.atom"}


def test_served_feeds_carry_the_url_they_are_served_at(served: Served):
    for name in ("ki-news.xml", "ki-news.atom"):
        status, _, body = served.get(f"/feeds/{name}")
        assert status == 200
        (served.env.root / "got").mkdir(exist_ok=True)
        (served.env.root / "got" / name).write_bytes(body)
    assert_links_point_at(served.env.root / "got", served.base)


def test_healthz_reports_the_last_run_and_the_failing_source(served: Served):
    status, kind, body = served.get("/healthz")
    assert (status, kind) == (200, "application/json")
    health = json.loads(body)
    assert health["status"] == "degraded" and health["database"] == "ok"
    assert health["last_run"]["status"] == "partial" and health["last_run"]["finished"]
    assert health["counts"]["releases"] > 0 and health["counts"]["runs"] == 1


def test_metrics_are_prometheus_text_with_last_run_sources_and_counts(served: Served):
    status, kind, body = served.get("/metrics")
    assert status == 200 and kind.startswith("text/plain; version=0.0.4")
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(body.decode()) for s in family.samples}
    assert samples[("ki_monitor_last_run_status", (("status", "partial"),))] == 1
    assert samples[("ki_monitor_last_run_status", (("status", "ok"),))] == 0
    assert samples[("ki_monitor_source_ok", (("source", "gone"),))] == 0
    assert samples[("ki_monitor_source_ok", (("source", "aachen"),))] == 1
    assert samples[("ki_monitor_source_failing_runs", (("source", "gone"),))] == 1
    assert samples[("ki_monitor_last_run_end_timestamp_seconds", ())] > 1.7e9
    assert samples[("ki_monitor_releases", ())] > 0 and samples[("ki_monitor_runs", ())] == 1


def test_opml_lists_every_feed_for_one_import(served: Served):
    status, kind, body = served.get("/feeds.opml")
    assert status == 200 and kind.startswith("text/x-opml")
    root = etree.fromstring(body)
    assert root.tag == "opml" and root.get("version") == "2.0" and root.findtext("head/title")
    feeds = root.findall(".//outline[@xmlUrl]")
    assert len(feeds) == len(feed_specs()) > 60
    assert all(o.get("type") == "rss" and o.get("text") for o in feeds)
    for outline in feeds[:3]:
        url = outline.get("xmlUrl")
        assert url.startswith(f"{served.base}/feeds/")
        assert served.get(urlsplit(url).path)[0] == 200
    cli = ki_monitor("feeds", "opml", "--base-url", PUBLIC)
    assert cli.returncode == 0, cli.stderr
    listed = etree.fromstring(cli.stdout.encode()).findall(".//outline[@xmlUrl]")
    assert [o.get("xmlUrl") for o in listed] == [o.get("xmlUrl").replace(served.base, PUBLIC) for o in feeds]


def test_json_feed_1_1_beside_rss_and_atom(served: Served):
    status, kind, body = served.get("/feeds/ki-news.json")
    assert status == 200 and kind.startswith("application/feed+json")
    doc = json.loads(body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] and doc["feed_url"] == f"{served.base}/feeds/ki-news.json"
    assert doc["home_page_url"] == f"{served.base}/feeds/" and doc["authors"][0]["name"]
    rss = feedparser.parse(served.get("/feeds/ki-news.xml")[2])
    assert [i["id"] for i in doc["items"]] == [e.id for e in rss.entries]
    for item in doc["items"]:
        assert item["content_html"] and item["url"].startswith("http")
        assert re.match(r"\d{4}-\d\d-\d\dT", item["date_published"])  # RFC 3339
    assert '<link rel="alternate" type="application/feed+json"' in served.get("/feeds/")[2].decode()


def test_listing_commands_print_json(served: Served):
    for args in (["runs"], ["status"], ["snapshots", "list"], ["corrections", "list"]):
        result = ki_monitor(*args, "--db", str(served.env.db), "--json")
        assert result.returncode == 0, (args, result.stderr)
        json.loads(result.stdout)
    feeds = json.loads(ki_monitor("feeds", "list", "--json").stdout)
    assert {f["slug"] for f in feeds} == {s.slug for s in feed_specs()}


def test_serve_on_a_busy_port_is_one_error_line_without_the_banner(served: Served):
    port = urlsplit(served.base).port
    result = ki_monitor("serve", "--db", str(served.env.db), "--feeds-dir", str(served.env.feeds),
                        "--port", str(port), timeout=60)
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Review pages" not in result.stderr, result.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0]


def test_every_rewrite_keeps_the_configured_base_url(served: Served, tmp_path: Path):
    """corrections set, reanalyze, serve's first build and the browser's correction all write
    feeds with the config file's base_url (they used to fall back to 127.0.0.1:8470)."""
    db = private_copy(served.env, tmp_path)
    config = tmp_path / "ki-monitor.toml"
    config.write_text(f'[run]\nbase_url = "{PUBLIC}"\n[feeds]\nmax_entries = 2\n', "utf-8")
    with open_db(str(db))() as s:
        release = s.scalars(select(Release).where(Release.label == "visit").order_by(Release.id)).first()

    done = ki_monitor("corrections", "set", str(release.id), "other", "--db", str(db),
                      "--feeds-dir", str(tmp_path / "a"), "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert_links_point_at(tmp_path / "a", PUBLIC)
    assert len(feedparser.parse((tmp_path / "a" / "besuche.xml").read_bytes()).entries) <= 2

    done = ki_monitor("reanalyze", "--db", str(db), "--feeds-dir", str(tmp_path / "b"), "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert_links_point_at(tmp_path / "b", PUBLIC)

    with serving(db, tmp_path / "c", "--config", str(config)):
        assert_links_point_at(tmp_path / "c", PUBLIC)

    with serve(db, tmp_path / "d", read_only=False, base_url=PUBLIC, token="t") as base:
        client = Client(base)
        page = client.get(f"/release/{release.id}")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        assert client.post(f"/release/{release.id}/correct",
                           {"csrf": csrf, "label": "visit", "token": "t"}).status == 303
    assert_links_point_at(tmp_path / "d", PUBLIC)
