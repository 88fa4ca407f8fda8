"""Commands that only read never create a database: a mistyped --db says "no database at
PATH" (and where the demo's data is) instead of reporting an empty, freshly migrated one. A
database file the user may only read is still readable by them."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from monitor_env import free_port
from schedule_support import ki_monitor

from monitor.clock import now
from storage.db import open_db, transaction
from storage.models import Run

READERS = [["runs"], ["status"], ["snapshots", "list"], ["snapshots", "show", "1"], ["snapshots", "diff", "1", "2"],
           ["corrections", "list"], ["feed"], ["serve", "--port", "{port}"]]


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_reading_command_on_a_missing_database_says_so_and_creates_nothing(command: list[str], tmp_path: Path):
    typo = tmp_path / "typo" / "ki-monitr.db"
    args = [a.replace("{port}", str(free_port())) for a in command]
    result = ki_monitor(*args, "--db", str(typo), timeout=60)
    assert result.returncode != 0
    assert f"no database at {typo}" in one_line(result)
    assert not typo.exists() and not typo.parent.exists()


def test_the_message_points_at_the_demo_database_when_there_is_one(tmp_path: Path):
    demo = tmp_path / "home" / "demo" / "ki-monitor.db"  # conftest: KI_MONITOR_HOME is tmp_path/home
    open_db(str(demo))
    result = ki_monitor("runs", timeout=60)  # the default database: never created by `make demo`
    line = one_line(result)
    assert result.returncode != 0 and "no database at" in line and f"--db {demo}" in line
    assert not (tmp_path / "home" / "ki-monitor.db").exists()


@pytest.fixture
def frozen(tmp_path: Path) -> Iterator[Path]:
    """A database the user cannot write: immutable (chattr +i, even root cannot write it), or
    without write permission where chattr is not available."""
    db = tmp_path / "ro" / "ki.db"
    factory = open_db(str(db))
    with transaction(factory) as s:
        s.add(Run(started_at=now(), finished_at=now(), status="ok", trigger="manual"))
    factory.kw["bind"].dispose()  # the last connection closes: SQLite folds the WAL back in
    immutable = subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode == 0 \
        if shutil.which("chattr") else False
    if not immutable:
        db.chmod(0o444)
    try:
        yield db
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db)], check=False)
        db.chmod(0o644)


def test_a_read_only_database_file_is_readable_by_reading_commands(frozen: Path):
    if os.access(frozen, os.W_OK):
        pytest.skip("cannot make a file read-only here (no chattr, and root ignores permissions)")
    runs = ki_monitor("runs", "--db", str(frozen), "--json", timeout=60)
    assert runs.returncode == 0, runs.stderr
    assert '"status": "ok"' in runs.stdout
    status = ki_monitor("status", "--db", str(frozen), timeout=60)
    assert status.returncode == 0 and "Last run:" in status.stdout, status.stderr
    listed = ki_monitor("snapshots", "list", "--db", str(frozen), timeout=60)
    assert listed.returncode == 0 and "No snapshots match." in listed.stdout, listed.stderr
