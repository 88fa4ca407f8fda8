"""Helpers for tests that crawl local sites with the real crawl entry point in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from storage.db import open_db
from storage.models import Fetch, RunSource

ROOT = Path(__file__).resolve().parents[1]
# Loopback servers need no politeness delay; retries and their backoff are shortened, not off.
FAST_CRAWL = {"AUTOTHROTTLE_START_DELAY": "0.01", "AUTOTHROTTLE_MAX_DELAY": "0.5", "RETRY_TIMES": "1",
              "RETRY_BACKOFF_BASE": "0.05"}


def crawl(db: Path, sources: Path, *ids: str, settings: dict[str, str] | None = None,
          args: tuple[str, ...] = (), timeout: int = 180) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scrapers.crawl", "--db", str(db), "--sources", str(sources),
           "--log-level", "INFO", *args, *ids]
    for name, value in {**FAST_CRAWL, **(settings or {})}.items():
        cmd += ["--set", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def releases(db: Path, source_id: str) -> dict[str, Fetch]:
    """The release fetches of a source's latest run, by the URL the listing/feed/sitemap gave."""
    with open_db(str(db))() as session:
        run_id = latest_run(db, source_id).run_id
        rows = session.scalars(select(Fetch).where(
            Fetch.source_id == source_id, Fetch.kind == "release", Fetch.run_id == run_id))
        return {f.url: f for f in rows}


def latest_run(db: Path, source_id: str) -> RunSource:
    with open_db(str(db))() as session:
        return session.scalars(select(RunSource).where(RunSource.source_id == source_id)
                               .order_by(RunSource.run_id.desc())).first()
