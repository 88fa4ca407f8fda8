"""Feeds of different databases never share a folder: beside a SQLite file (``feeds/`` for the
default name, ``<name>-feeds/`` otherwise), and per database under the data directory for a
server URL (a PostgreSQL run used to write into the SQLite default's folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from monitor.places import feeds_dir_for, log_file_for
from storage.db import open_db


def test_each_database_has_its_own_default_feeds_folder(tmp_path: Path):
    home = tmp_path / "home"  # conftest: KI_MONITOR_HOME
    default = feeds_dir_for(None)
    assert default == home / "feeds"
    assert feeds_dir_for(str(tmp_path / "a" / "ki-monitor.db")) == tmp_path / "a" / "feeds"
    other = feeds_dir_for(str(tmp_path / "a" / "test.db"))
    assert other == tmp_path / "a" / "test-feeds"
    pg = feeds_dir_for("postgresql+psycopg://ki:secret@db.example:5432/ki_monitor")
    pg2 = feeds_dir_for("postgresql+psycopg://ki:secret@db.example:5432/ki_staging")
    assert len({default, other, pg, pg2}) == 4
    assert pg.is_relative_to(home / "databases") and "secret" not in str(pg)
    assert log_file_for("postgresql+psycopg://ki:secret@db.example:5432/ki_monitor").parent == pg.parent


def test_feed_without_feeds_dir_writes_beside_its_own_database(tmp_path: Path):
    db = tmp_path / "staging.db"
    open_db(str(db))
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "feed", "--db", str(db)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staging-feeds" / "ki-news.xml").exists()
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "home" / "feeds").exists()
