"""Shared fixtures: the demo web on 127.0.0.1, a fresh database, a registry pointing at it.

Every crawl in the tests is a real Scrapy crawl over HTTP against servers started here.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_crawl import FAST_CRAWL

from monitor.demoweb import DemoWeb, start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.runner import RunOptions, RunSummary, run_once

SHARED = Path(__file__).resolve().parents[2] / "shared"
# Crawls of loopback servers need no politeness delay; everything else stays as configured.


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in a test may reach beyond 127.0.0.1 (subprocesses get the same guard via env)."""
    real = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")) \
                and self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"test tried to reach {host}: only 127.0.0.1 is allowed")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's data directory or registry."""
    monkeypatch.setenv("KI_MONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KI_MONITOR_DB", raising=False)
    monkeypatch.delenv("KI_MONITOR_SOURCES", raising=False)


@pytest.fixture
def demo_web() -> Iterator[DemoWeb]:
    with start_demo_web(demo_sites()) as web:
        yield web


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ki.db"


@pytest.fixture
def registry(demo_web: DemoWeb, tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(sources_toml(list(demo_web.sites.values())), "utf-8")
    return path


@pytest.fixture
def run_job(db_path: Path, registry: Path, tmp_path: Path):
    """Run the whole job (crawl subprocess, differ, analysis, feeds) against the demo web."""

    def run(settings: dict[str, str] | None = None, **overrides) -> RunSummary:
        opts = RunOptions(db=str(db_path), sources=str(registry), feeds_dir=tmp_path / "feeds",
                          settings={**FAST_CRAWL, **(settings or {})}, **overrides)
        return run_once(opts)

    return run
