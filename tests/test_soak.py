"""Soak (issue 12, point 7): 30 runs in a row through the scheduler's own job function against
a web that changes between runs (new, edited and removed releases), then runs over an
unchanged web. The feeds hold each release once, the database grows with the content and not
with the number of runs, and the scheduler process leaks neither file descriptors nor memory.

Figures are printed (``pytest -s``) for the note.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from faultweb import start_fault_web
from faultweb.web import fault_site
from helpers_crawl import FAST_CRAWL

from monitor.config import Config
from monitor.demoweb.documents import documents
from monitor.demoweb.site import Entry
from monitor.runner import run_once
from monitor.scheduler import Scheduler, run_options

pytestmark = pytest.mark.slow
CHANGING, UNCHANGED = 20, 10
# Visits and funding news no other soak site publishes: each new one reaches the feeds.
NEW_DOCS = ("d001", "d005", "d010", "d012", "d017", "d022", "d025", "d031", "d042", "d045", "d046", "d047",
            "d048", "d049")


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def _used_bytes(db: Path) -> int:
    """Pages in use (the file itself never shrinks, and the WAL holds recent pages)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                             for p in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def _change(sites, n: int) -> None:
    """Run ``n``'s changes: one new release, every 2nd run an edit, every 5th a removal."""
    site = sites[n % len(sites)]
    if n < len(NEW_DOCS):
        site.publish(Entry.from_document(documents()[NEW_DOCS[n]], numeric_id=9000 + n))
    if n % 2 == 0:
        entry = site.entries[-1]
        site.edit(entry.slug, [*entry.paragraphs, f"Nachtrag {n}: Die Anmeldung ist bis Ende des Monats "
                                                   f"verlängert worden, weitere Plätze sind frei."])
    if n % 5 == 4 and len(site.entries) > 2:
        site.remove(site.entries[-2].slug)


def test_thirty_runs_against_a_changing_web(tmp_path):
    sites = [fault_site("soak-a", docs=("seed000", "d006", "d021")), fault_site("soak-b", docs=("seed001", "d003"))]
    for site in sites:
        site.per_page = 100  # every release on one listing page: removals are seen
    with start_fault_web(sites) as web:
        (tmp_path / "sources.toml").write_text(web.registry(), "utf-8")
        cfg = Config(db=str(tmp_path / "ki.db"), sources=str(tmp_path / "sources.toml"),
                     feeds_dir=str(tmp_path / "feeds"), settings=dict(FAST_CRAWL))
        scheduler = Scheduler(cfg)
        figures = []
        for n in range(CHANGING + UNCHANGED):
            if n < CHANGING:
                _change(sites, n)
            summary = scheduler.run_job((), "schedule")
            assert summary is not None and summary.status == "ok", summary
            figures.append((_used_bytes(tmp_path / "ki.db"), _open_fds(), _rss_mb()))
        # Daily runs walk the news channels only; removals show on the full walk (every
        # ``full_walk``, a week by default): one at the end.
        final = run_once(replace(run_options(cfg, "schedule"), walk="full"))
        live = {s.article_url(e) for s in sites for e in s.entries}
    counts = [r.diff.count() for r in [*scheduler.runs, final]]
    checks = sum(rs.requests for rs in scheduler.runs[-1].sources)  # requests of an unchanged run
    changing_growth = (figures[CHANGING - 1][0] - figures[0][0]) / (CHANGING - 1)
    unchanged_growth = (figures[-1][0] - figures[CHANGING][0]) / (UNCHANGED - 1)
    print(f"\nsoak: {len(figures)} runs, {sum(c['new'] for c in counts)} new, "
          f"{sum(c['updated'] for c in counts)} updated, {sum(c['removed'] for c in counts)} removed; "
          f"database {figures[0][0] / 1e3:.0f} → {figures[-1][0] / 1e3:.0f} kB "
          f"({changing_growth / 1e3:.1f} kB per changing run, {unchanged_growth / 1e3:.1f} kB per unchanged run "
          f"of {checks} requests); "
          f"fds {figures[1][1]} → {figures[-1][1]}; RSS {figures[1][2]:.0f} → {figures[-1][2]:.0f} MB")

    for feed in sorted((tmp_path / "feeds").glob("*.xml")):
        links = Counter(e.link for e in feedparser.parse(feed.read_bytes()).entries)
        assert all(n == 1 for n in links.values()), (feed.name, links.most_common(3))
    main = {e.link for e in feedparser.parse((tmp_path / "feeds" / "ki-news.xml").read_bytes()).entries}
    assert main, "the soak web's visits reached no feed"
    assert sum(c["new"] for c in counts) == len(live) + sum(c["removed"] for c in counts)
    assert sum(c["removed"] for c in counts) == CHANGING // 5
    assert all(c == {"new": 0, "updated": 0, "removed": 0} for c in counts[CHANGING:-1])
    # An unchanged run adds its run records and one small row per request (the check log that
    # `snapshots` shows), never the content again: under 1 kB per request.
    assert unchanged_growth < 1024 * checks
    assert figures[-1][1] <= figures[1][1] + 2  # no descriptor left behind per run
    assert figures[-1][2] - figures[5][2] < 25  # MB: no memory growth per run
