"""Storage: database location, WAL, snapshot bodies stored once, clear errors."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from storage.db import StorageError, open_db, resolve_url, transaction
from storage.models import Body
from storage.snapshots import get_body, put_body


def test_database_is_created_on_first_use_in_wal_mode(tmp_path: Path):
    path = tmp_path / "new" / "dir" / "ki.db"
    factory = open_db(str(path))
    with factory() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert path.exists()


def test_identical_bodies_are_stored_once_and_compressed(storage):
    factory = open_db(storage.new())
    body = "<html><body>Pressemitteilung: Staatssekretärin besucht das KI</body></html>".encode() * 50
    with transaction(factory) as session:
        first = put_body(session, body)
        second = put_body(session, body)
        other = put_body(session, b"%PDF-1.4 other")
    with factory() as session:
        assert first == second != other
        assert session.scalar(select(func.count()).select_from(Body)) == 2
        stored = session.get(Body, first)
        assert len(stored.data) < len(body) and zlib.decompress(stored.data) == body
        assert get_body(session, first) == body
        assert get_body(session, None) is None


def test_db_option_wins_over_environment_and_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KI_MONITOR_DB", str(tmp_path / "env.db"))
    assert resolve_url(str(tmp_path / "opt.db")).endswith("/opt.db")
    assert resolve_url(None).endswith("/env.db")
    monkeypatch.delenv("KI_MONITOR_DB")
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'home' / 'ki-monitor.db'}"
    assert resolve_url("postgresql+psycopg://u@localhost/ki") == "postgresql+psycopg://u@localhost/ki"


def test_unwritable_database_directory_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="cannot create the database directory .*--db"):
        resolve_url(str(blocker / "ki.db"))


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="cannot open or migrate the database"):
        open_db(str(bogus))
