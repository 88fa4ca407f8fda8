"""Shared fixtures: the demo web on 127.0.0.1, a fresh database, a registry pointing at it.

Every crawl in the tests is a real Scrapy crawl over HTTP against servers started here.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_crawl import FAST_CRAWL
from sqlalchemy.engine import make_url

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


# -- storage backends -------------------------------------------------------------------------
# Tests that take the `storage` fixture run against SQLite and, when KI_MONITOR_TEST_PG (or
# --pg-url) names a PostgreSQL server, against PostgreSQL too: each test gets a database of its
# own there. In CI (CI=true) a missing server is a failure, never a silent skip.

PG_ENV = "KI_MONITOR_TEST_PG"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--pg-url", default=os.environ.get(PG_ENV),
                     help=f"PostgreSQL server URL for the storage tests (default: ${PG_ENV}).")


class Storage:
    """Makes fresh databases of one backend: SQLite files, or PostgreSQL databases."""

    def __init__(self, backend: str, root: Path, server: str | None = None) -> None:
        self.backend, self.root, self.server = backend, root, server
        self.created: list[str] = []

    def new(self, name: str = "ki") -> str:
        """The --db value of a new, empty database."""
        if self.backend == "sqlite":
            path = self.root / f"{name}-{len(self.created)}.db"
            self.created.append(str(path))
            return str(path)
        from sqlalchemy import create_engine, text

        db = f"ki_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
        admin.dispose()
        self.created.append(db)
        return make_url(self.server).set(database=db).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """PostgreSQL: drop this module's databases (FORCE ends connections still pooled)."""
        if self.backend != "postgresql" or not self.created:
            return
        from sqlalchemy import create_engine, text

        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for db in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def storage_backends() -> list:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=storage_backends())
def storage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    if request.param == "postgresql":
        server = request.config.getoption("--pg-url")
        if not server:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must test PostgreSQL: set {PG_ENV} (.ci/run starts a server)")
            pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql+psycopg://… to test it")
        made = Storage("postgresql", tmp_path_factory.mktemp("pg"), server)
    else:
        made = Storage("sqlite", tmp_path_factory.mktemp("sqlite"))
    yield made
    made.drop_all()
