"""Stopping on SIGTERM / Ctrl-C mid-crawl: clean exit, consistent database, nothing lost.

Documented exit codes: the daemon (`schedule`) exits 0 after a clean stop; a single run
(`run`, `schedule --once`) exits 128 + signal number (143 SIGTERM, 130 Ctrl-C) since it did
not complete.
"""

from __future__ import annotations

import signal
from pathlib import Path

from helpers_crawl import FAST_CRAWL
from schedule_support import (
    SLOW_CRAWL,
    config_toml,
    fetches_of_run,
    registry_for,
    running_run,
    runs_of,
    start_ki_monitor,
    wait_for,
)
from sqlalchemy import func, select

from monitor.demoweb import DemoWeb
from monitor.lock import locks
from monitor.runner import RunOptions, run_once
from storage.db import open_db
from storage.models import Change, Fetch, Release


def crawling(db: Path, min_fetches: int = 3):
    run = running_run(db)
    return run if run and fetches_of_run(db, run.id) >= min_fetches else None


def assert_consistent_after_stop(db: Path, site) -> None:
    (run,) = runs_of(db)
    assert run.status == "interrupted" and run.finished_at is not None
    factory = open_db(str(db))
    assert locks(factory) == []  # neither the run lock nor the scheduler lock is left behind
    with factory() as session:
        kept = session.scalar(select(func.count()).select_from(Fetch).where(Fetch.run_id == run.id))
        stored = session.scalar(select(func.count()).select_from(Release))
    assert kept >= 3  # what was fetched before the signal is kept
    assert stored < len(site.entries)  # the stop really came mid-crawl


def assert_next_run_completes_the_work(db: Path, registry: Path, tmp_path: Path, site) -> None:
    summary = run_once(RunOptions(db=str(db), sources=str(registry), feeds_dir=tmp_path / "feeds",
                                  settings=dict(FAST_CRAWL)))
    assert summary.status == "ok"
    with open_db(str(db))() as session:
        urls = set(session.scalars(select(Release.url)))
        news = session.scalar(select(func.count()).select_from(Change).where(Change.kind == "new"))
    assert urls == {site.article_url(e) for e in site.entries}
    assert news == len(site.entries)  # each release reported new exactly once over both runs


def test_sigterm_during_a_scheduled_run_stops_cleanly_and_the_next_run_completes_the_work(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    site = demo_web["land-nrw"]
    registry = registry_for(tmp_path / "sources.toml", [site])
    log_file = tmp_path / "schedule.log"
    open_db(str(db_path))
    config = config_toml(tmp_path / "ki-monitor.toml", schedule={"every": "1s", "log_file": str(log_file)},
                         run={"db": str(db_path), "sources": str(registry), "feeds_dir": str(tmp_path / "feeds")},
                         settings=SLOW_CRAWL)
    daemon = start_ki_monitor("schedule", "--config", str(config))
    try:
        wait_for(lambda: crawling(db_path), what="the scheduled crawl to fetch pages")
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, daemon.stderr.read()
    log = log_file.read_text("utf-8")
    assert "SIGTERM: taking no new runs" in log and "scheduler stopped" in log
    assert_consistent_after_stop(db_path, site)
    assert_next_run_completes_the_work(db_path, registry, tmp_path, site)


def test_ctrl_c_during_a_manual_run_keeps_what_was_fetched(demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    site = demo_web["land-nrw"]
    registry = registry_for(tmp_path / "sources.toml", [site])
    open_db(str(db_path))
    settings = [arg for k, v in SLOW_CRAWL.items() for arg in ("--set", f"{k}={v}")]
    manual = start_ki_monitor("run", "--db", str(db_path), "--sources", str(registry),
                              "--feeds-dir", str(tmp_path / "feeds"), *settings)
    try:
        wait_for(lambda: crawling(db_path), what="the manual crawl to fetch pages")
        manual.send_signal(signal.SIGINT)
        out, err = manual.communicate(timeout=60)
    finally:
        if manual.poll() is None:
            manual.kill()
    assert manual.returncode == 130, err
    assert "Stopped before the end. What was fetched is stored" in out
    assert_consistent_after_stop(db_path, site)
    assert_next_run_completes_the_work(db_path, registry, tmp_path, site)
