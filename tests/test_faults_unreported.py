"""A release that cannot be had is an error on its source, never silence (issue 12, point 2):
5xx after the retries, a redirect loop, a broken and a text-less PDF, a reset connection. And
a stored release that starts failing is not taken for removed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import feedparser
from click.testing import CliRunner
from faultweb import answer, redirect, reset, start_fault_web
from faultweb.web import fault_site
from helpers_crawl import FAST_CRAWL
from pypdf import PdfWriter
from sqlalchemy import select

from monitor.cli import main
from monitor.demoweb.documents import documents
from monitor.demoweb.site import Entry
from monitor.runner import RunOptions, run_once
from storage.db import open_db
from storage.models import Release


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _options(tmp_path: Path, registry: str) -> RunOptions:
    (tmp_path / "sources.toml").write_text(registry, "utf-8")
    return RunOptions(db=str(tmp_path / "ki.db"), sources=str(tmp_path / "sources.toml"),
                      feeds_dir=tmp_path / "feeds", settings=dict(FAST_CRAWL))


def test_5xx_a_redirect_loop_and_broken_or_textless_pdfs_each_count_as_an_error(tmp_path):
    site = fault_site("broken", docs=("seed000", "seed001", "d006", "d021"))
    corpus = documents()
    site.entries += [Entry.from_document(corpus["d026"], numeric_id=1, pdf=b"%PDF-1.4\n1 0 obj<<garbage"),
                     Entry.from_document(corpus["d015"], numeric_id=2, pdf=_blank_pdf())]
    with start_fault_web([site]) as web:
        unavailable, looping = (site.family.article_path(e) for e in site.entries[:2])
        web.fault("broken", unavailable, answer(503))
        web.fault("broken", looping, redirect(looping))
        summary = run_once(_options(tmp_path, web.registry()))
    (rs,) = summary.sources
    assert rs.errors == 4, rs.error_text
    assert rs.status == "ok"  # two releases arrived: the site works, four of its pages do not
    runner = CliRunner()
    runs = json.loads(runner.invoke(main, ["runs", "--db", str(tmp_path / "ki.db"), "--json"]).output)
    assert runs[0]["sources"][0]["errors"] == 4
    assert runs[0]["totals"]["errors"] == 4
    status = json.loads(runner.invoke(main, ["status", "--db", str(tmp_path / "ki.db"), "--json"]).output)
    assert status["last_run"]["totals"]["errors"] == 4
    with open_db(str(tmp_path / "ki.db"))() as session:
        assert len(session.scalars(select(Release)).all()) == 2


def test_a_stored_release_that_starts_failing_is_not_marked_removed(tmp_path):
    site = fault_site("flaky", docs=("seed000", "seed001", "d006"))
    with start_fault_web([site]) as web:
        opts = _options(tmp_path, web.registry())
        first = run_once(opts)
        assert first.diff.count()["new"] == 3
        failing, unreachable = (site.family.article_path(e) for e in site.entries[:2])
        web.fault("flaky", failing, answer(503))
        web.fault("flaky", unreachable, reset())
        second = run_once(opts)
    assert second.diff.count()["removed"] == 0
    assert second.sources[0].errors == 2
    with open_db(str(tmp_path / "ki.db"))() as session:
        assert all(r.removed_at is None for r in session.scalars(select(Release)))


def test_a_release_that_keeps_failing_reaches_status_and_the_status_feed(tmp_path):
    site = fault_site("sick", docs=("seed000", "seed001", "d006"))
    with start_fault_web([site]) as web:
        web.fault("sick", site.family.article_path(site.entries[0]), answer(503))
        opts = _options(tmp_path, web.registry())
        for _ in range(3):  # the default threshold: 3 runs in a row
            run_once(opts)
    status = json.loads(CliRunner().invoke(main, ["status", "--db", str(tmp_path / "ki.db"), "--json"]).output)
    assert [f["source"] for f in status["failing"]] == ["sick"]
    assert "HTTP 503" in status["failing"][0]["problem"]
    entries = feedparser.parse((tmp_path / "feeds" / "status.xml").read_bytes()).entries
    assert len(entries) == 1 and "sick" in entries[0].title + entries[0].summary
