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


def describe_error(exc: BaseException) -> str:
    """One line for a database error: what the driver said, without SQLAlchemy's ``[SQL: …]``
    statement, its parameters and the "Background on this error" link (a full disk or a
    broken file is then one readable line; ``KI_MONITOR_DEBUG=1`` keeps the traceback)."""
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError) and exc.orig is not None:  # DBAPIError is one too
        text = f"{type(exc.orig).__name__}: {exc.orig}"
    else:
        text = str(exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return " ".join(ln for ln in lines if not ln.startswith(("[SQL:", "[parameters:", "(Background on")))


def data_dir() -> Path:
    """Where ki-monitor keeps its database and feeds unless told otherwise."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ki-monitor"


def locate(db: str | None = None) -> str:
    """``--db`` wins, then ``$KI_MONITOR_DB``, then the SQLite file in the data directory; no
    side effects (nothing is created or checked).

    A plain path is taken as a SQLite file; anything with ``://`` as a SQLAlchemy URL.
    """
    value = db or os.environ.get(DB_ENV) or str(data_dir() / "ki-monitor.db")
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, ``None`` for any other database."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def resolve_url(db: str | None = None) -> str:
    """The URL a writer opens (see :func:`locate`); a SQLite file's folder is created and
    both are checked for writing."""
    url = locate(db)
    path = sqlite_path(url)
    if path is None:
        return url
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the database directory {path.parent}: {exc.strerror}; "
                           f"pass --db PATH or set {DB_ENV}") from exc
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise StorageError(f"database {path} is not writable; pass --db PATH or set {DB_ENV}")
    return url


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
        raise StorageError(f"cannot open or migrate the database {url}: {describe_error(exc)}") from exc


_migrated: set[str] = set()


def open_db(db: str | None = None) -> sessionmaker[Session]:
    """For writers: resolve, create if need be, migrate to head (once per process) and return
    a session factory."""
    url = resolve_url(db)
    if url not in _migrated:
        upgrade(url)
        _migrated.add(url)
    return sessionmaker(engine_for(url), expire_on_commit=False)


def _missing(url: str) -> StorageError:
    where = sqlite_path(url) or url
    demo = data_dir() / "demo" / "ki-monitor.db"
    hint = f"; the demo's database is at {demo} (--db {demo})" if demo.exists() and demo != where else \
        "; run `ki-monitor run` (or `ki-monitor demo`) first, or pass --db PATH"
    return StorageError(f"no database at {where}{hint}")


def require_existing(db: str | None = None) -> str:
    """The URL of a database that exists already; commands that only read or that only
    process what a crawl stored never create one (a mistyped --db must not look empty)."""
    url = locate(db)
    path = sqlite_path(url)
    if path is not None:
        if not path.is_file():
            raise _missing(url)
        return url
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    try:
        known = inspect(engine_for(url)).has_table("alembic_version")
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot open the database {url}: {exc.__class__.__name__}: "
                           f"{str(exc).splitlines()[0]}") from exc
    if not known:
        raise _missing(url)
    return url


def open_existing(db: str | None = None) -> sessionmaker[Session]:
    """For writers that process stored data (``feed``, corrections): like :func:`open_db`,
    but the database must exist."""
    require_existing(db)
    return open_db(db)


def _read_only_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@cache
def _read_only_engine(path: Path) -> Engine:
    # mode=ro: a database file the user may only read is still readable (WAL needs its -shm
    # file, which a writer leaves behind; without one SQLite reads it unless the folder is
    # read-only too, then immutable=1 is the only way and readers see no concurrent writes).
    writable_dir = os.access(path.parent, os.W_OK)
    flags = "mode=ro" if writable_dir or path.with_name(path.name + "-shm").exists() else "immutable=1"
    engine = create_engine(f"sqlite:///file:{path}?{flags}&uri=true", future=True)
    event.listen(engine, "connect", _read_only_pragmas)
    return engine


def open_read_only(db: str | None = None) -> sessionmaker[Session]:
    """For commands that only read (``runs``, ``status``, ``snapshots``, ``serve`` without
    corrections): the database must exist, nothing is created; a file the user may only read
    is opened read-only (and must have the current schema)."""
    url = require_existing(db)
    path = sqlite_path(url)
    if path is not None and not os.access(path, os.W_OK):
        engine = _read_only_engine(path)
        _require_current(engine, path)
        return sessionmaker(engine, expire_on_commit=False)
    return open_db(db)  # exists and is writable: brought to the current schema like for writers


def _require_current(engine: Engine, where: Path) -> None:
    """A database nobody may migrate here must already have the current schema."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        raise StorageError(f"database {where} has schema {current}, this ki-monitor needs {head}; "
                           "it is read-only here: let its owner run any writing command "
                           "(e.g. `ki-monitor feed`) once")


def read_engine(db: str | None = None) -> Engine:
    """The engine of :func:`open_read_only` for raw SQL reads."""
    factory = open_read_only(db)
    return factory.kw["bind"]


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed whole or not at all."""
    with factory() as session, session.begin():
        yield session
