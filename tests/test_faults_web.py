"""The fault web in one run (issue 12, point 8): what held when measured from outside must
keep holding. One crawl over eight misbehaving sites and a healthy control: a hanging page, a
reset connection, a truncated body, a wrongly declared charset, a 60 MB body, a gzip bomb, 429
with Retry-After, a page robots.txt forbids, NUL bytes. Every site's good releases arrive, each
fault is an error on its own site only, nothing is fetched that robots.txt forbids; and a run
killed with SIGKILL loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import feedparser
import pytest
from faultweb import answer, at_first, gzip_bomb, hang, huge_body, reset, start_fault_web, truncated
from faultweb.web import RELEASE_DOCS, fault_site
from helpers_crawl import FAST_CRAWL
from sqlalchemy import select

from monitor.runner import RunOptions, run_once
from storage.db import open_db
from storage.models import Release

ROOT = Path(__file__).resolve().parents[1]
FAULTS = ("hang", "reset", "truncated", "huge", "bomb")


def _sites():
    names = ("control", *FAULTS, "ratelimit", "charset", "robots", "nul")
    sites = [fault_site(name, docs=RELEASE_DOCS[2 * i: 2 * i + 3], offset=10 * i) for i, name in enumerate(names)]
    by_id = {s.id: s for s in sites}
    by_id["charset"].charset, by_id["charset"].declared_charset = "cp1252", "utf-8"
    return by_id


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faultweb")
    sites = _sites()
    retry_times: list[float] = []
    with start_fault_web(list(sites.values())) as web:
        first = {sid: s.family.article_path(s.entries[0]) for sid, s in sites.items()}
        web.fault("hang", first["hang"], hang(4))
        web.fault("reset", first["reset"], reset())
        web.fault("truncated", first["truncated"], truncated(b"<html><body><p>Der Anfang" * 50))
        web.fault("huge", first["huge"], huge_body(60 * 1024 * 1024))
        web.fault("bomb", first["bomb"], gzip_bomb())
        web.fault("ratelimit", first["ratelimit"],
                  at_first(answer(429, headers={"Retry-After": "1"}), log=retry_times))
        sites["robots"].disallow = ("/intern/", first["robots"])
        page = sites["nul"].pages()[first["nul"]]
        web.fault("nul", first["nul"], answer(200, page.body.replace(b"</p>", b"\x00</p>", 3), content_type=page.content_type))
        (tmp / "sources.toml").write_text(web.registry(), "utf-8")
        opts = RunOptions(db=str(tmp / "ki.db"), sources=str(tmp / "sources.toml"), feeds_dir=tmp / "feeds",
                          settings={**FAST_CRAWL, "DOWNLOAD_TIMEOUT": "1"})
        summary = run_once(opts)
        hits = {sid: list(s.hits) for sid, s in sites.items()}
    return summary, sites, first, hits, retry_times, tmp


def test_the_run_finishes_and_every_good_release_arrives(faulty_run):
    summary, sites, first, _, _, tmp = faulty_run
    assert summary.status == "ok"
    with open_db(str(tmp / "ki.db"))() as session:
        stored = set(session.scalars(select(Release.url)))
    failed = {sites[f].article_url(sites[f].entries[0]) for f in (*FAULTS, "robots")}
    expected = {s.article_url(e) for s in sites.values() for e in s.entries}
    assert stored == expected - failed


def test_each_fault_is_one_error_on_its_own_site_only(faulty_run):
    summary = faulty_run[0]
    errors = {rs.source_id: rs.errors for rs in summary.sources}
    # A listed release robots.txt forbids is reported too: it cannot reach the feed.
    assert errors == {sid: (1 if sid in (*FAULTS, "robots") else 0) for sid in errors}, \
        {rs.source_id: rs.error_text for rs in summary.sources if rs.errors}


def test_429_is_retried_after_the_time_the_server_asked_for(faulty_run):
    retry_times = faulty_run[4]
    assert len(retry_times) == 2
    assert retry_times[1] - retry_times[0] >= 0.95


def test_a_page_robots_txt_forbids_is_never_requested(faulty_run):
    _, _, first, hits, _, _ = faulty_run
    assert first["robots"] not in [path for path, _ in hits["robots"]]


def test_a_wrongly_declared_charset_and_nul_bytes_come_out_as_clean_text(faulty_run):
    _, sites, first, _, _, tmp = faulty_run
    with open_db(str(tmp / "ki.db"))() as session:
        texts = {r.url: r.text for r in session.scalars(select(Release))}
    charset_texts = [texts[sites["charset"].article_url(e)] for e in sites["charset"].entries]
    assert all("\ufffd" not in t and "Ã" not in t for t in charset_texts)
    assert any(ch in t for t in charset_texts for ch in "äöüß")
    assert "\x00" not in texts[sites["nul"].article_url(sites["nul"].entries[0])]


KILLABLE = """
import sys
from monitor.runner import RunOptions, run_once
run_once(RunOptions(db=sys.argv[1], sources=sys.argv[2], feeds_dir=sys.argv[3], step_seconds=0.2,
                    settings={"AUTOTHROTTLE_START_DELAY": "0.3", "AUTOTHROTTLE_MAX_DELAY": "0.5",
                              "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}))
"""


def _release_fetches(db: Path) -> int:
    """Read-only (the run being watched migrates and writes the same file)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM fetches WHERE kind = 'release'").fetchone()[0]
    except sqlite3.Error:  # not there yet, or not migrated yet
        return 0


def test_a_run_killed_with_sigkill_loses_and_duplicates_nothing(tmp_path):
    sites = [fault_site(f"k{i}", docs=RELEASE_DOCS[3 * i: 3 * i + 4], offset=10 * i) for i in range(3)]
    for site in sites:  # slow pages: the kill lands mid-run
        site.delays.update({site.family.article_path(e): 0.5 for e in site.entries})
    with start_fault_web(sites) as web:
        registry = tmp_path / "sources.toml"
        registry.write_text(web.registry(), "utf-8")
        db = tmp_path / "ki.db"
        args = [str(db), str(registry), str(tmp_path / "feeds")]
        victim = subprocess.Popen([sys.executable, "-c", KILLABLE, *args], cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _release_fetches(db) < 2:  # some stored, not all
            time.sleep(0.1)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        assert 2 <= _release_fetches(db) < sum(len(s.entries) for s in sites)  # killed mid-run
        for site in sites:
            site.delays.clear()
        summary = run_once(RunOptions(db=str(db), sources=str(registry), feeds_dir=tmp_path / "feeds",
                                      settings=dict(FAST_CRAWL)))
        expected = {s.article_url(e) for s in sites for e in s.entries}
    assert summary.status == "ok"
    with open_db(str(db))() as session:
        urls = Counter(session.scalars(select(Release.url)))
    assert set(urls) == expected and max(urls.values()) == 1
    for feed in (tmp_path / "feeds").glob("*.xml"):
        ids = [e.get("id") for e in feedparser.parse(feed.read_bytes()).entries]
        assert len(ids) == len(set(ids)), feed.name
