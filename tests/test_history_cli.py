"""`runs` and `status` over real runs of the demo web, one of whose sources is down."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers_crawl import FAST_CRAWL
from schedule_support import config_toml, ki_monitor, registry_for

from monitor.clock import BERLIN
from monitor.commands.progress import snapshot
from monitor.config import Config
from monitor.demoweb import start_demo_web
from monitor.demoweb.catalog import demo_sites
from monitor.scheduler import Scheduler, stored_next_runs
from storage.db import open_db

# A source whose server is gone: every run fails it.
BROKEN = '\n[[source]]\nid = "gone"\nname = "Gone"\nki = "Aachen"\nurl = "http://127.0.0.1:9/presse/"\n'


@dataclass
class History:
    db: Path
    registry: Path
    outputs: list[str]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """Two manual runs through the CLI: the first finds three releases, the second nothing new."""
    root = tmp_path_factory.mktemp("history")
    with start_demo_web([s for s in demo_sites() if s.id == "stk-nrw"]) as web:
        registry = registry_for(root / "sources.toml", [web["stk-nrw"]], extra=BROKEN)
        db = root / "ki.db"
        settings = [arg for k, v in FAST_CRAWL.items() for arg in ("--set", f"{k}={v}")]
        outputs = []
        for _ in range(2):
            result = ki_monitor("run", "--db", str(db), "--sources", str(registry),
                                "--feeds-dir", str(root / "feeds"), *settings)
            assert result.returncode == 3, result.stderr  # partial: one source failed
            outputs.append(result.stdout)
        yield History(db, registry, outputs)


def test_runs_shows_per_source_requests_responses_bytes_changes_errors_and_duration(history: History):
    result = ki_monitor("runs", "--db", str(history.db), "--json")
    assert result.returncode == 0, result.stderr
    second, first = json.loads(result.stdout)  # newest first
    assert (first["id"], second["id"]) == (1, 2)
    assert first["status"] == second["status"] == "partial"
    ok = {s["source"]: s for s in first["sources"]}["stk-nrw"]
    assert ok["status"] == "ok" and ok["new"] == 3 and ok["errors"] == 0
    assert ok["requests"] >= 4 and ok["responses"]["200"] >= 4 and ok["bytes"] > 1000
    assert ok["seconds"] > 0 and first["seconds"] >= ok["seconds"]
    assert {s["source"]: s for s in second["sources"]}["stk-nrw"]["new"] == 0
    gone = {s["source"]: s for s in second["sources"]}["gone"]
    assert gone["status"] == "failed" and gone["errors"] >= 1 and gone["error"]
    assert first["totals"]["new"] == 3 and second["totals"]["new"] == 0

    text = ki_monitor("runs", "--db", str(history.db), "--last", "1").stdout
    assert "Run 2 partial · manual" in text and "Run 1" not in text
    assert "responses" in text and "stk-nrw" in text and "gone" in text


def test_status_reports_the_next_scheduled_time_the_last_run_and_sources_failing_n_runs_in_a_row(
        history: History, tmp_path: Path):
    before = ki_monitor("status", "--db", str(history.db))
    assert before.returncode == 0, before.stderr
    assert "Nothing scheduled yet" in before.stdout
    assert "Last run:" in before.stdout and "Run 2 partial" in before.stdout
    assert "No source failing (3+ runs in a row)" in before.stdout  # only two runs so far

    config = config_toml(tmp_path / "ki-monitor.toml", schedule={"time": "05:45", "failing_after": 2},
                         run={"db": str(history.db), "sources": str(history.registry)})
    registered = Scheduler(Config(db=str(history.db), sources=str(history.registry), time="05:45"))
    registered.start(paused=True)
    registered.shutdown()
    next_run = stored_next_runs(str(history.db))["daily"].astimezone(BERLIN)

    after = ki_monitor("status", "--config", str(config))
    assert after.returncode == 0, after.stderr
    assert f"Next scheduled run: {next_run:%Y-%m-%d} 05:45:00 (Europe/Berlin); scheduler not running" in after.stdout
    assert "Failing sources (errors or no releases 2+ runs in a row):" in after.stdout
    assert "gone: 2 runs" in after.stdout and "stk-nrw:" not in after.stdout

    data = json.loads(ki_monitor("status", "--config", str(config), "--json").stdout)
    assert [f["source"] for f in data["failing"]] == ["gone"]
    assert data["last_run"]["id"] == 2 and data["running"] is None


def test_live_progress_reads_each_sources_state_and_pages_from_the_database(history: History):
    with open_db(str(history.db))() as session:
        rows = {r.source_id: r for r in snapshot(session, 1, ["stk-nrw", "gone", "not-started"])}
    assert (rows["stk-nrw"].state, rows["gone"].state, rows["not-started"].state) == ("ok", "failed", "waiting")
    assert rows["stk-nrw"].pages >= 4 and rows["not-started"].pages == 0
    assert rows["stk-nrw"].seconds is not None and rows["stk-nrw"].seconds > 0
