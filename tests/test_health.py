"""Source health: consecutive bad runs make a source failing; stopped runs do not count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.health import failing_sources, source_health
from storage.db import open_db, transaction
from storage.models import Run, RunSource

T0 = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def add_runs(db: Path, outcomes: list[tuple[str, str, int]]) -> None:
    """outcomes: (run status, source status, candidates) per day, oldest first, for source 'koeln'."""
    with transaction(open_db(str(db))) as session:
        for day, (run_status, status, candidates) in enumerate(outcomes):
            run = Run(started_at=T0 + timedelta(days=day), status=run_status)
            session.add(run)
            session.flush()
            session.add(RunSource(run_id=run.id, source_id="koeln", status=status, candidates=candidates,
                                  error_text=None if status == "ok" else "HTTP 503"))


def test_three_bad_runs_in_a_row_make_a_failing_source(tmp_path: Path):
    db = tmp_path / "k.db"
    add_runs(db, [("ok", "ok", 12), ("partial", "failed", 0), ("ok", "ok", 0), ("partial", "failed", 0)])
    with open_db(str(db))() as session:
        health = source_health(session)["koeln"]
        assert health.failing_runs == 3 and health.failing()
        assert health.last_success.replace(tzinfo=UTC) == T0
        assert [h.source_id for h in failing_sources(session)] == ["koeln"]


def test_a_good_run_ends_the_streak(tmp_path: Path):
    db = tmp_path / "k.db"
    add_runs(db, [("partial", "failed", 0)] * 3 + [("ok", "ok", 5)])
    with open_db(str(db))() as session:
        assert source_health(session)["koeln"].failing_runs == 0
        assert failing_sources(session) == []


def test_runs_stopped_on_request_are_not_counted_as_failures(tmp_path: Path):
    db = tmp_path / "k.db"
    add_runs(db, [("ok", "ok", 5), ("interrupted", "failed", 0), ("interrupted", "failed", 0),
                  ("interrupted", "failed", 0)])
    with open_db(str(db))() as session:
        assert source_health(session)["koeln"].failing_runs == 0
