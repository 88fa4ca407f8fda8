"""``scrapy list`` shows every registry source; ``scrapy crawl <id>`` runs one and stores it
like a scheduled run (its own run record, every fetch kept)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers_crawl import FAST_CRAWL, ROOT, latest_run, releases
from sqlalchemy import select

from monitor.demoweb import start_demo_web
from monitor.demoweb.testsites import build_test_site, sources_toml
from scrapers.sources import load_sources
from storage.db import open_db
from storage.models import Run

SCRAPY = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "scrapy")


def scrapy(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KI_MONITOR_")}
    return subprocess.run([SCRAPY, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def test_scrapy_list_shows_every_registry_source() -> None:
    proc = scrapy("list")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(proc.stdout.split()) == sorted(s.id for s in load_sources())


def test_scrapy_crawl_runs_one_source_and_stores_it_like_a_run(tmp_path: Path) -> None:
    site, other = build_test_site("wordpress-listing"), build_test_site("gsb-feed")
    with start_demo_web([site, other]):
        registry, db = tmp_path / "sources.toml", tmp_path / "c.db"
        registry.write_text(sources_toml([site, other]), "utf-8")
        fast = [arg for name, value in FAST_CRAWL.items() for arg in ("-s", f"{name}={value}")]
        proc = scrapy("crawl", site.id, "-s", f"KI_MONITOR_SOURCES={registry}", "-s", f"KI_MONITOR_DB={db}", *fast)
        assert proc.returncode == 0, proc.stderr[-2000:]
    run = latest_run(db, site.id)
    assert (run.status, run.discovery, run.candidates) == ("ok", "backfill", len(site.entries))
    assert run.channels["found"]["listing"] == len(site.entries)
    assert set(releases(db, site.id)) == site.expected_urls()
    assert latest_run(db, other.id) is None and other.hits == []
    with open_db(str(db))() as session:
        (only,) = session.scalars(select(Run)).all()
        assert (only.trigger, only.status) == ("scrapy", "ok")
