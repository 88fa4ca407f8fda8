"""Source health: which sources failed or found nothing for several runs in a row.

Silent breakage is what users of monitoring tools complain about most; the same verdict is
shown by ``ki-monitor status``, the status feed and the sources page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Run, RunSource

DEFAULT_THRESHOLD = 3


@dataclass(frozen=True)
class SourceHealth:
    source_id: str
    failing_runs: int  # consecutive recent runs with an error or nothing found
    last_success: datetime | None  # last run where the source worked and found releases
    last_error: str | None
    last_status: str | None
    last_candidates: int

    def failing(self, threshold: int = DEFAULT_THRESHOLD) -> bool:
        return self.failing_runs >= threshold

    @property
    def problem(self) -> str:
        if self.last_error:
            return self.last_error
        return "found no press releases"


def bad(rs: RunSource) -> bool:
    return rs.status != "ok" or rs.candidates == 0


def source_health(session: Session, history: int = 30) -> dict[str, SourceHealth]:
    """Health of every source that has run, from its newest ``history`` finished runs."""
    rows = session.execute(
        select(RunSource, Run.started_at).join(Run, Run.id == RunSource.run_id)
        .where(Run.status != "running").order_by(RunSource.source_id, Run.started_at.desc())
    ).all()
    by_source: dict[str, list[tuple[RunSource, datetime]]] = {}
    for rs, started in rows:
        by_source.setdefault(rs.source_id, []).append((rs, started))
    out = {}
    for source_id, runs in by_source.items():
        runs = runs[:history]
        streak = 0
        for rs, _ in runs:
            if not bad(rs):
                break
            streak += 1
        last_ok = next((started for rs, started in runs if not bad(rs)), None)
        newest = runs[0][0]
        out[source_id] = SourceHealth(source_id, streak, last_ok, newest.error_text, newest.status, newest.candidates)
    return out


def failing_sources(session: Session, threshold: int = DEFAULT_THRESHOLD) -> list[SourceHealth]:
    return sorted((h for h in source_health(session).values() if h.failing(threshold)),
                  key=lambda h: (-h.failing_runs, h.source_id))
