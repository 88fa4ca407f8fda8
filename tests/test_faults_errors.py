"""Errors a user meets are one line (issue 12, point 3): database errors without SQLAlchemy's
statement dump, ``analyze`` naming a bad line and going on, a huge input line read in bounded
memory, a closed port without Scrapy tracebacks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from monitor.commands.analysis import MAX_LINE_BYTES, analyze_cmd
from storage.db import open_db

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})}, **kwargs)


def _broken_db(tmp_path: Path) -> Path:
    db = tmp_path / "ki.db"
    open_db(str(db))
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE runs")
    return db


def test_a_database_error_is_one_line_on_the_terminal(tmp_path):
    result = _cli("runs", "--db", str(_broken_db(tmp_path)))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ki-monitor: error: database error:") and "no such table" in lines[0]
    assert "[SQL:" not in result.stderr and "Background on this error" not in result.stderr


def test_debug_keeps_the_database_traceback(tmp_path):
    result = _cli("runs", "--db", str(_broken_db(tmp_path)), env={"KI_MONITOR_DEBUG": "1"})
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "[SQL:" in result.stderr


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is no sqlite file at all" * 100)
    result = _cli("runs", "--db", str(junk))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "file is not a database" in result.stderr


DOC = {"url": "https://www.herne.de/x", "title": "Staatssekretärin besucht Kommunales Integrationszentrum",
       "text": "Integrationsstaatssekretärin Serap Güler informierte sich im Kommunalen Integrationszentrum Herne."}


def test_analyze_names_a_non_utf8_line_and_analyses_the_others():
    good = json.dumps(DOC, ensure_ascii=False).encode()
    bad = json.dumps({**DOC, "url": "b"}, ensure_ascii=False).encode().replace("ä".encode(), b"\xe4", 1)
    result = CliRunner().invoke(analyze_cmd, ["-"], input=b"\n".join([good, bad, good]) + b"\n")
    assert result.exit_code == 1
    assert "line 2: not UTF-8 (byte 0xe4" in result.stderr
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == [DOC["url"], DOC["url"]]


def test_analyze_reads_a_64_mb_line_in_bounded_memory(tmp_path):
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        out.write(json.dumps(DOC).encode() + b"\n")
        out.write(b'{"url": "huge", "text": "' + b"Integration " * (64 * 1024 * 1024 // 12) + b'"}\n')
        out.write(json.dumps(DOC).encode() + b"\n")
    # VmHWM, not ru_maxrss: the latter keeps the high-water mark of the forking test process.
    code = ("import re, sys; from monitor.cli import main\n"
            "try:\n    main(['analyze', sys.argv[1], '-o', '/dev/null'])\n"
            "except SystemExit as e:\n    code = e.code\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print(int(hwm) // 1024, code)")
    proc = subprocess.run([sys.executable, "-c", code, str(big)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    peak_mb, exit_code = proc.stdout.split()
    assert "line 2: longer than" in proc.stderr
    assert exit_code == "1"
    assert int(peak_mb) < 150, f"analyze peaked at {peak_mb} MB for a 64 MB line"
    assert MAX_LINE_BYTES < 64 * 1024 * 1024


def test_a_closed_port_is_one_line_on_stderr_without_tracebacks(tmp_path):
    with __import__("socket").socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[source]]\nid = "closed"\nki = "NRW"\nurl = "http://127.0.0.1:{port}/presse/"\n')
    result = _cli("run", "--db", str(tmp_path / "ki.db"), "--sources", str(registry),
                  "--set", "RETRY_TIMES=0", "--set", "AUTOTHROTTLE_START_DELAY=0")
    assert result.returncode == 1, result.stderr  # its only source failed: the run failed
    assert "Traceback" not in result.stderr and "scrapy" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1, result.stderr  # one line per failing source
    assert "closed: start URL" in result.stdout and "refused" in result.stdout.lower()

