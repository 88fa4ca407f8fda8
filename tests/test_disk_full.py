"""A full disk (issue 12, point 6): a run on a small filesystem that fills up mid-run ends with
one clear line, the database stays consistent, the previous feeds stay served, and the run
after space is freed completes the work.

The filesystem is a size-limited tmpfs mounted for the test (root only; skipped elsewhere).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from faultweb import start_fault_web
from faultweb.web import fault_site
from helpers_crawl import FAST_CRAWL
from sqlalchemy import func, select

from monitor.demoweb.site import Entry
from monitor.web.app import WebConfig, create_app
from storage.db import open_db
from storage.models import Release

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _run(disk: Path, registry: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "monitor.cli", "run", "--db", str(disk / "ki.db"), "--sources", str(registry),
           "--feeds-dir", str(disk / "feeds"), "--no-progress"]
    for name, value in FAST_CRAWL.items():
        cmd += ["--set", f"{name}={value}"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _long_release(n: int) -> Entry:
    day = date(2025, 1, 1) + timedelta(days=n)
    paragraphs = [f"Meldung {n}, Absatz {p}: Das Kommunale Integrationszentrum lädt zum Austausch ein. "
                  + "Gemeinsam mit Vereinen und Schulen wird das Programm vorgestellt. " * 12 for p in range(60)]
    return Entry(f"lange-meldung-{n}", f"Lange Meldung {n} aus dem Integrationszentrum", paragraphs, day,
                 datetime(day.year, day.month, day.day, 9, tzinfo=UTC), numeric_id=5000 + n)


def _fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


def test_a_run_that_fills_the_disk_ends_cleanly_and_the_next_one_completes(small_disk: Path, tmp_path: Path):
    site = fault_site("full", docs=("seed000", "seed001", "d006"))
    site.per_page = 100  # one listing page: the walk is never cut by max_pages
    with start_fault_web([site]) as web:
        registry = tmp_path / "sources.toml"
        registry.write_text(web.registry(), "utf-8")
        first = _run(small_disk, registry)
        assert first.returncode == 0, first.stderr
        feeds_before = {p.name: p.read_bytes() for p in (small_disk / "feeds").iterdir()}

        for n in range(40):  # ~2 MB of new pages, several times that once stored
            site.publish(_long_release(n))
        filler = _fill(small_disk, leave=1_500_000)
        full = _run(small_disk, registry)
        print(f"\ndisk-full run: exit {full.returncode}, stderr: {full.stderr.strip()!r}")
        assert full.returncode == 1
        lines = full.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ki-monitor: error: the disk is full"), full.stderr

        with sqlite3.connect(f"file:{small_disk / 'ki.db'}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for name, before in feeds_before.items():  # untouched or replaced whole, never torn
            data = (small_disk / "feeds" / name).read_bytes()
            assert data == before or feedparser.parse(data).bozo == 0, name
        client = create_app(WebConfig(db=str(small_disk / "ki.db"), feeds_dir=small_disk / "feeds",
                                      base_url="http://127.0.0.1:8470", token=None, read_only=True)).test_client()
        served = client.get("/feeds/ki-news.xml")
        assert served.status_code == 200 and feedparser.parse(served.data).bozo == 0

        filler.unlink()
        again = _run(small_disk, registry)
        assert again.returncode == 0, again.stderr
    with open_db(str(small_disk / "ki.db"))() as session:
        stored = session.scalar(select(func.count(Release.id)))
        distinct = session.scalar(select(func.count(func.distinct(Release.url))))
    assert stored == distinct == len(site.entries)
    with sqlite3.connect(small_disk / "ki.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
