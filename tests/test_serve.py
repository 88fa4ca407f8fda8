"""``ki-monitor serve`` over HTTP: content types, validators, 304, gzip, feed discovery."""

from __future__ import annotations

import gzip
import http.client
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser
import pytest
from monitor_env import Env, demo_env, serving

from monitor.feeds import feed_specs


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class Server:
    env: Env
    base: str

    def get(self, path: str, method: str = "GET", **headers: str) -> Reply:
        conn = http.client.HTTPConnection(urlsplit(self.base).netloc, timeout=10)
        try:
            conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
            resp = conn.getresponse()
            return Reply(resp.status, resp.headers, resp.read())
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    with demo_env(tmp_path_factory.mktemp("serve")) as env:
        env.run()
        with serving(env.db, env.feeds) as base:
            yield Server(env, base)


def test_feeds_are_served_with_their_content_types_and_parse(server: Server):
    rss, atom = server.get("/feeds/ki-news.xml"), server.get("/feeds/besuche.atom")
    assert (rss.status, rss.headers["Content-Type"]) == (200, "application/rss+xml; charset=utf-8")
    assert (atom.status, atom.headers["Content-Type"]) == (200, "application/atom+xml; charset=utf-8")
    assert rss.body == (server.env.feeds / "ki-news.xml").read_bytes()
    assert feedparser.parse(rss.body).bozo == 0 and feedparser.parse(atom.body).entries


def test_a_matching_etag_answers_304_without_a_body(server: Server):
    first = server.get("/feeds/ki-news.xml")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    again = server.get("/feeds/ki-news.xml", If_None_Match=etag)
    assert (again.status, again.body) == (304, b"")
    assert again.headers["ETag"] == etag
    assert server.get("/feeds/ki-news.xml", If_None_Match='W/"something-else"').status == 200
    assert server.get("/feeds/ki-news.xml", If_None_Match=f'"x", {etag}').status == 304


def test_if_modified_since_answers_304_unless_the_feed_is_newer(server: Server):
    modified = server.get("/feeds/ki-news.atom").headers["Last-Modified"]
    assert server.get("/feeds/ki-news.atom", If_Modified_Since=modified).status == 304
    assert server.get("/feeds/ki-news.atom", If_Modified_Since="Sat, 01 Jan 2000 00:00:00 GMT").status == 200


def test_gzip_is_sent_only_to_clients_that_accept_it(server: Server):
    plain = server.get("/feeds/ki-news.xml")
    packed = server.get("/feeds/ki-news.xml", Accept_Encoding="gzip, deflate")
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.body) == plain.body and len(packed.body) < len(plain.body) / 2
    assert packed.headers["ETag"] == plain.headers["ETag"]
    assert server.get("/feeds/ki-news.xml", Accept_Encoding="gzip", If_None_Match=plain.headers["ETag"]).status == 304


def test_head_answers_headers_only(server: Server):
    head = server.get("/feeds/foerderung.xml", method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["ETag"]


def test_the_index_lists_every_feed_for_discovery(server: Server):
    page = server.get("/feeds/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    links = re.findall(r'<link rel="alternate" type="(application/(?:rss|atom)\+xml)"[^>]*href="([^"]+)"', html)
    specs = feed_specs()
    assert len(links) == 2 * len(specs)
    assert {href for _, href in links} == {f"/feeds/{s.slug}.{ext}" for s in specs for ext in ("xml", "atom")}
    for _, href in links[:6]:
        assert server.get(href).status == 200


def test_the_start_page_carries_the_main_feed_links(server: Server):
    page = server.get("/")
    assert page.status == 200
    html = page.body.decode()
    for slug in ("ki-news", "besuche", "foerderung", "status"):
        assert re.search(rf'<link rel="alternate" type="application/rss\+xml"[^>]*href="/feeds/{slug}\.xml"', html), slug


def test_unknown_feeds_and_odd_paths_are_not_found(server: Server):
    for path in ("/feeds/nope.xml", "/feeds/ki-news.html", "/feeds/..%2Fki.db.xml", "/feeds/.ki-news.xml"):
        assert server.get(path).status == 404, path


def test_a_changed_feed_gets_a_new_etag_and_the_old_one_no_longer_matches(server: Server):
    old = server.get("/feeds/ki-news.xml").headers["ETag"]
    site = server.env.web["muelheim-an-der-ruhr"]
    seed = site.entry("seed000")
    site.edit("seed000", [*seed.paragraphs, "Ergänzung: Die Staatssekretärin besuchte anschließend eine Sprachkita."])
    assert len(server.env.run(walk="full").diff.updated) == 1  # the full walk revalidates old releases
    fresh = server.get("/feeds/ki-news.xml", If_None_Match=old)
    assert fresh.status == 200 and fresh.headers["ETag"] != old
    assert b"(aktualisiert)" in fresh.body
    assert server.get("/feeds/ki-news.xml", If_None_Match=fresh.headers["ETag"]).status == 304
