"""Engine and session handling: one SQLAlchemy URL, SQLite by default, migrated with Alembic."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DB_ENV = "KI_MONITOR_DB"
DATA_ENV = "KI_MONITOR_HOME"


class StorageError(Exception):
    """A database that cannot be opened or migrated; the message says what to do."""


def data_dir() -> Path:
    """Where ki-monitor keeps its database and feeds unless told otherwise."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ki-monitor"


def resolve_url(db: str | None = None) -> str:
    """``--db`` wins, then ``$KI_MONITOR_DB``, then the SQLite file in the data directory.

    A plain path is taken as a SQLite file; anything with ``://`` as a SQLAlchemy URL.
    """
    value = db or os.environ.get(DB_ENV) or str(data_dir() / "ki-monitor.db")
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the database directory {path.parent}: {exc.strerror}; "
                           f"pass --db PATH or set {DB_ENV}") from exc
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise StorageError(f"database {path} is not writable; pass --db PATH or set {DB_ENV}")
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the feed server read while a crawl writes; busy_timeout rides out short locks.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@cache
def engine_for(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    try:
        command.upgrade(alembic_config(url), revision)
    except Exception as exc:  # noqa: BLE001 - turned into one clear message for the CLI
        raise StorageError(f"cannot open or migrate the database {url}: {exc}") from exc


_migrated: set[str] = set()


def open_db(db: str | None = None) -> sessionmaker[Session]:
    """Resolve, migrate to head (once per process) and return a session factory."""
    url = resolve_url(db)
    if url not in _migrated:
        upgrade(url)
        _migrated.add(url)
    return sessionmaker(engine_for(url), expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed whole or not at all."""
    with factory() as session, session.begin():
        yield session
