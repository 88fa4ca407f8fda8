"""Review pages over HTTP, with data from two real crawls of the demo web (one release edited
in between, one page hostile)."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
from review_support import (
    ADDED_SENTENCE,
    EDITED_SITE,
    EDITED_SLUG,
    HOSTILE_SLUG,
    Client,
    Crawled,
    crawled_demo_web,
    serve,
)
from sqlalchemy import select

from monitor.health import source_health
from monitor.web.safety import CSP
from scrapers.kis import load_kis
from storage.db import open_db
from storage.models import Event, Fetch, Release, Run, RunSource
from storage.snapshots import get_body

RELEASE_LINK = re.compile(r'<h2><a href="/release/(\d+)">')
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son\w+\s*=", re.I)  # a tag with onerror=, onclick= ...


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    with crawled_demo_web(tmp_path_factory.mktemp("review")) as c:
        yield c


@pytest.fixture(scope="module")
def client(crawled: Crawled):
    with serve(crawled.db, crawled.feeds) as base:  # read-only, as by default
        yield Client(base)


def session_of(crawled: Crawled):
    return open_db(str(crawled.db))()


def release_by_url(crawled: Crawled, site_id: str, slug: str) -> Release:
    site = crawled.web.sites[site_id]
    with session_of(crawled) as s:
        return s.scalars(select(Release).where(Release.url == site.article_url(site.entry(slug)))).one()


def fetches_of(crawled: Crawled, url: str) -> list[Fetch]:
    with session_of(crawled) as s:
        return list(s.scalars(select(Fetch).where(Fetch.url == url).order_by(Fetch.id)))


def listed_events(html: str) -> set[int]:
    return {int(i) for i in RELEASE_LINK.findall(html)}


def expected_events(crawled: Crawled, pick) -> set[int]:
    """First live release of each event the filter ``pick(event, kis)`` keeps."""
    out = set()
    with session_of(crawled) as s:
        for e in s.scalars(select(Event)):
            live = [r for r in e.releases if r.removed_at is None and r.effective_label == e.label]
            if live and pick(e, {k for r in live for k in r.ki or []}):
                out.add(min(r.id for r in e.releases if r.removed_at is None))
    return out


def test_overview_lists_events_with_facts_sources_and_feed_discovery(client: Client, crawled: Crawled):
    page = client.get("/")
    assert page.status == 200
    head = page.text.split("</head>", 1)[0]
    for slug in ("ki-news", "besuche", "foerderung"):
        assert re.search(rf'<link rel="alternate" type="application/rss\+xml"[^>]*href="/feeds/{slug}.xml">', head)
        assert client.get(f"/feeds/{slug}.xml").status == 200  # and readers find them there
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    everything = expected_events(crawled, lambda e, kis: True)
    assert listed_events(page.text) == everything  # fewer than one page of events in the demo web
    visit = release_by_url(crawled, EDITED_SITE, EDITED_SLUG)
    assert escape(visit.visitors[0]) in page.text and "Aachen" in page.text
    assert f'href="{visit.url}"' in page.text  # link to the source page


@pytest.mark.parametrize("query, pick", [
    ("type=funding", lambda e, kis: e.label == "funding"),
    ("type=visit&ki=Aachen", lambda e, kis: e.label == "visit" and "Aachen" in kis),
    ("ki=M%C3%BClheim+an+der+Ruhr", lambda e, kis: "Mülheim an der Ruhr" in kis),
    ("rb=D%C3%BCsseldorf", lambda e, kis: bool(kis & {k.name for k in load_kis() if k.regierungsbezirk == "Düsseldorf"})),
    ("from=2018-01-01&to=2018-12-31", lambda e, kis: e.published and e.published.year == 2018),
])
def test_overview_filters_by_type_ki_bezirk_and_dates(client: Client, crawled: Crawled, query: str, pick):
    page = client.get(f"/?{query}")
    assert page.status == 200
    expected = expected_events(crawled, pick)
    assert expected, "the demo web should have events for this filter"
    assert listed_events(page.text) == expected


def test_overview_ignores_unknown_filter_values_without_echoing_them(client: Client):
    page = client.get("/?type=%3Cscript%3E&ki=Atlantis&from=yesterday&page=-3")
    assert page.status == 200
    assert "<script" not in page.text and "Atlantis" not in page.text


def test_ki_filter_offers_its_own_feed(client: Client):
    page = client.get("/?ki=Aachen")
    assert 'href="/feeds/ki-aachen.xml"' in page.text


def test_release_page_marks_evidence_and_lists_the_events_sources_and_snapshots(client: Client, crawled: Crawled):
    release = release_by_url(crawled, "land-nrw", "gueler-aachen")
    hostile = release_by_url(crawled, "aachen", HOSTILE_SLUG)
    assert release.event_id == hostile.event_id  # one event, two sources
    page = client.get(f"/release/{release.id}")
    assert page.status == 200
    marks = re.findall(r"<mark>(.*?)</mark>", page.text, re.S)
    assert any("Kommunale Integrationszentrum Aachen" in m or "Güler" in m for m in marks)
    assert f'href="/release/{hostile.id}"' in page.text  # the other source of the event
    for f in fetches_of(crawled, release.url) + fetches_of(crawled, hostile.url):
        assert f'href="/snapshot/{f.id}"' in page.text  # snapshot history of both URLs
    assert "Label korrigieren" in page.text and "<form" not in page.text  # read-only by default


def test_edited_release_links_a_diff_that_highlights_the_added_sentence(client: Client, crawled: Crawled):
    release = release_by_url(crawled, EDITED_SITE, EDITED_SLUG)
    old, new = fetches_of(crawled, release.url)[:2]
    page = client.get(f"/release/{release.id}")
    assert f'href="/diff/{old.id}/{new.id}"' in page.text
    side = client.get(f"/diff/{old.id}/{new.id}")
    assert side.status == 200 and 'class="diff side"' in side.text
    inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", side.text, re.S))
    assert "weiteren Besuch im Herbst" in inserted
    assert "<del>" not in side.text  # nothing was taken away
    inline = client.get(f"/diff/{old.id}/{new.id}?view=inline")
    assert 'class="diff inline"' in inline.text and escape(ADDED_SENTENCE.split()[0]) in inline.text
    raw = client.get(f"/diff/{old.id}/{new.id}?of=raw")
    assert raw.status == 200 and "<ins>" in raw.text
    same = client.get(f"/diff/{new.id}/{new.id}")
    assert "Keine Unterschiede" in same.text


def test_hostile_release_shows_scraped_markup_as_text(client: Client, crawled: Crawled):
    hostile = release_by_url(crawled, "aachen", HOSTILE_SLUG)
    page = client.get(f"/release/{hostile.id}")
    assert page.status == 200
    assert "<script" not in page.text and not EVENT_HANDLER.search(page.text)
    assert "&lt;b onmouseover=" in page.text  # the title's markup, escaped
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in page.text


def test_snapshot_page_renders_the_raw_page_sanitised_with_its_text(client: Client, crawled: Crawled):
    hostile = release_by_url(crawled, "aachen", HOSTILE_SLUG)
    fetch = fetches_of(crawled, hostile.url)[0]
    page = client.get(f"/snapshot/{fetch.id}")
    assert page.status == 200
    raw = page.text.split('<div class="raw">', 1)[1].split("<!--/raw-->", 1)[0]
    assert "Leiterin des Kommunalen Integrationszentrums" in raw
    for bad in ("<script", "<img", "javascript:", "<iframe", "<form", "<input", "<style"):
        assert bad not in raw, bad
    assert not EVENT_HANDLER.search(raw)
    assert not re.search(r"<[a-z][^>]*\s(src|href|srcset|action)\s*=", raw, re.I)  # nothing loads or navigates
    assert "Staatssekretärin Serap Güler besuchte heute" in page.text.split('<div class="raw">', 1)[0]
    source = client.get(f"/snapshot/{fetch.id}?view=source")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source.text and "<script>" not in source.text


def test_raw_snapshot_downloads_as_attachment_never_rendered(client: Client, crawled: Crawled):
    hostile = release_by_url(crawled, "aachen", HOSTILE_SLUG)
    fetch = fetches_of(crawled, hostile.url)[0]
    reply = client.get(f"/snapshot/{fetch.id}/raw")
    assert reply.status == 200
    assert reply.headers["content-disposition"] == f'attachment; filename="snapshot-{fetch.id}.html"'
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["content-type"] == "application/octet-stream"
    with session_of(crawled) as s:
        assert reply.body == get_body(s, fetch.body_sha256)
    assert b"<script>alert(1)</script>" in reply.body  # exactly as fetched


def test_runs_page_shows_each_run_with_per_source_figures(client: Client, crawled: Crawled):
    page = client.get("/runs")
    assert page.status == 200
    for run_id in crawled.runs:
        assert f"Lauf {run_id} " in page.text
    with session_of(crawled) as s:
        rs = s.get(RunSource, (crawled.runs[1], EDITED_SITE))
    row = re.search(rf"<td>{EDITED_SITE}</td>(.*?)</tr>", page.text, re.S)[1]  # newest run first
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[0] == "ok" and cells[2] == str(rs.requests) and cells[4:8] == [
        str(rs.candidates), str(rs.new), "1", str(rs.removed)]


def test_sources_page_puts_a_broken_site_first(crawled: Crawled, tmp_path: Path):
    db = tmp_path / "broken.db"
    with sqlite3.connect(crawled.db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # a consistent copy, WAL included
    with open_db(str(db))() as s, s.begin():
        last = s.get(Run, crawled.runs[-1])
        for n in range(1, 4):  # three failed runs in a row for one site
            run = Run(started_at=last.started_at + timedelta(hours=n), finished_at=last.started_at +
                      timedelta(hours=n, minutes=1), status="partial", trigger="schedule")
            s.add(run)
            s.flush()
            s.add(RunSource(run_id=run.id, source_id="stk-nrw", status="failed", errors=1,
                            error_text="HTTP 503 on the listing"))
    with open_db(str(db))() as s:  # the page's SQL-limited verdict is the shared one
        assert source_health(s)["stk-nrw"].failing()
    with serve(db, crawled.feeds) as base:
        page = Client(base).get("/sources")
    assert page.status == 200
    rows = re.findall(r"<tr class=\"([^\"]*)\">\s*<td><strong>[^<]*</strong><br><span class=\"muted\">([^<]+)</span>",
                      page.text)
    assert rows[0] == ("broken", "stk-nrw")
    assert "HTTP 503 on the listing" in page.text and "gestört" in page.text
    assert all(cls != "broken" for cls, _ in rows[1:])


def test_every_page_sends_a_strict_csp_and_no_script(client: Client, crawled: Crawled):
    release = release_by_url(crawled, EDITED_SITE, EDITED_SLUG)
    old, new = fetches_of(crawled, release.url)[:2]
    for path in ("/", "/releases", "/releases?label=irrelevant", f"/release/{release.id}", f"/snapshot/{old.id}",
                 f"/diff/{old.id}/{new.id}", "/runs", "/sources", "/corrections", "/release/999999"):
        reply = client.get(path)
        assert reply.status in (200, 404), path
        assert reply.headers["content-security-policy"] == CSP, path
        assert "script-src" not in CSP and "unsafe" not in CSP
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "<script" not in reply.text, path


def test_stylesheet_is_served_from_our_origin(client: Client):
    css = client.get("/static/review.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media" in css.text  # narrow screens get their own layout


@pytest.mark.parametrize("path", ["/release/999999", "/snapshot/999999", "/snapshot/999999/raw", "/diff/1/999999",
                                  "/snapshot/..%2F..%2Fetc%2Fpasswd", "/static/..%2Fapp.py", "/release/abc"])
def test_unknown_or_malformed_ids_are_not_found(client: Client, path: str):
    reply = client.get(path)
    assert reply.status == 404
    assert b"root:" not in reply.body and b"create_app" not in reply.body


def test_read_only_server_refuses_corrections(client: Client, crawled: Crawled):
    release = release_by_url(crawled, EDITED_SITE, EDITED_SLUG)
    client.get(f"/release/{release.id}")
    reply = client.post(f"/release/{release.id}/correct", {"label": "other", "csrf": "x"})
    assert reply.status == 403
    with session_of(crawled) as s:
        assert s.get(Release, release.id).corrected_label is None


def test_releases_page_lists_every_release_paginated(client: Client, crawled: Crawled):
    with session_of(crawled) as s:
        total = len(s.scalars(select(Release.id)).all())
    first = client.get("/releases")
    assert f"({total})" in first.text or total <= 50
    ids = {int(i) for i in re.findall(r'<td><a href="/release/(\d+)">', first.text)}
    assert len(ids) == min(total, 50)
