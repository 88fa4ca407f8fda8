"""Helpers for the scheduler, lock, history and signal tests: real CLI processes, real SQLite."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from monitor.demoweb.site import Site
from storage.db import open_db
from storage.models import Fetch, Run

# A crawl that takes a few seconds on loopback, so a test can act while it runs.
SLOW_CRAWL = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0.4", "RANDOMIZE_DOWNLOAD_DELAY": "False",
              "CONCURRENT_REQUESTS": "1",  # else a graceful stop still finishes all queued requests
              "RETRY_TIMES": "1"}
CLI = [sys.executable, "-m", "monitor.cli"]


def registry_for(path: Path, sites: list[Site], extra: str = "") -> Path:
    from monitor.demoweb.catalog import sources_toml

    path.write_text(sources_toml(sites) + extra, "utf-8")
    return path


def config_toml(path: Path, schedule: dict | None = None, run: dict | None = None,
                settings: dict | None = None) -> Path:
    def table(name: str, values: dict) -> str:
        body = "".join(f"{k} = {v!r}\n".replace("'", '"') if isinstance(v, str) else f"{k} = {v}\n"
                       for k, v in values.items())
        return f"[{name}]\n{body}\n"

    text = table("schedule", schedule or {}) + table("run", run or {})
    if settings:
        text += table("run.settings", settings)
    path.write_text(text, "utf-8")
    return path


def ki_monitor(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def start_ki_monitor(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def runs_of(db: Path) -> list[Run]:
    with open_db(str(db))() as session:
        return list(session.scalars(select(Run).order_by(Run.id)))


def fetches_of_run(db: Path, run_id: int) -> int:
    with open_db(str(db))() as session:
        return session.scalar(select(func.count()).select_from(Fetch).where(Fetch.run_id == run_id)) or 0


def running_run(db: Path) -> Run | None:
    if not db.exists():
        return None
    return next((r for r in runs_of(db) if r.status == "running"), None)
