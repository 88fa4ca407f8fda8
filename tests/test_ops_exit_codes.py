"""Exit codes follow the README: cron and systemd must notice an outage (every source failed)
and can tell a partial run from a clean one. A failing run says one line per source on the
terminal; Scrapy's tracebacks go to the log file."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_crawl import FAST_CRAWL
from schedule_support import config_toml, ki_monitor

from monitor.commands.common import EX_FAILED

# Two sources whose servers are gone: every run fails them.
GONE = "".join(f'\n[[source]]\nid = "gone-{n}"\nname = "Gone {n}"\nki = "Aachen"\nurl = "http://127.0.0.1:9/presse{n}/"\n'
               for n in (1, 2))
FAST = [arg for k, v in FAST_CRAWL.items() for arg in ("--set", f"{k}={v}")]


def test_a_run_where_every_source_failed_exits_1_and_is_labelled_failed(tmp_path: Path):
    registry = tmp_path / "sources.toml"
    registry.write_text(GONE, "utf-8")
    db = tmp_path / "ki.db"
    result = ki_monitor("run", "--db", str(db), "--sources", str(registry), "--no-progress", *FAST)
    assert result.returncode == EX_FAILED, result.stdout + result.stderr
    runs = json.loads(ki_monitor("runs", "--db", str(db), "--json").stdout)
    assert runs[0]["status"] == "failed"
    assert "all 2 sources failed" in runs[0]["error"]


def test_a_failing_run_prints_one_line_per_source_and_keeps_the_details_in_the_log(tmp_path: Path):
    registry = tmp_path / "sources.toml"
    registry.write_text(GONE, "utf-8")
    db = tmp_path / "ki.db"
    result = ki_monitor("run", "--db", str(db), "--sources", str(registry), "--no-progress", *FAST)
    assert result.stderr.strip() == "", result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines if ln.startswith("gone-")] == ["gone-1", "gone-2"]
    assert all("Connection" in ln for ln in lines if ln.startswith("gone-"))
    assert "Traceback" not in result.stdout and len(lines) < 20
    log = tmp_path / "ki.log"
    assert f"Details: {log}" in result.stdout
    assert "Connection was refused" in log.read_text("utf-8") and "ERROR" in log.read_text("utf-8")


def test_schedule_once_exits_1_when_every_source_failed(tmp_path: Path):
    registry = tmp_path / "sources.toml"
    registry.write_text(GONE, "utf-8")
    config = config_toml(tmp_path / "ki.toml", run={"db": str(tmp_path / "ki.db"), "sources": str(registry)},
                         settings=dict(FAST_CRAWL))
    result = ki_monitor("schedule", "--once", "--config", str(config))
    assert result.returncode == EX_FAILED, result.stdout + result.stderr

