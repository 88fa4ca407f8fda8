"""Source health: which sources failed or found nothing for several runs in a row.

Silent breakage is what users of monitoring tools complain about most; the same verdict is
shown by ``ki-monitor status``, the status feed and the sources page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
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


def bad(rs) -> bool:
    """Failed, found nothing, or had errors (releases that answered 5xx, looped, did not
    extract): a site whose releases keep failing is reported like one that is down."""
    return rs.status != "ok" or rs.candidates == 0 or (rs.errors or 0) > 0


# Runs stopped on request say nothing about a source's health. A source still crawling has no
# verdict yet, but one that finished counts even while its run is closing (feeds are written
# before the run is marked done).


def source_health(session: Session, history: int = 30) -> dict[str, SourceHealth]:
    """Health of every source from its newest ``history`` finished runs.

    A window function keeps the newest runs per source in SQL, so a year of per-source rows
    is never loaded.
    """
    ranked = select(
        RunSource.source_id, RunSource.status, RunSource.candidates, RunSource.errors, RunSource.error_text,
        Run.started_at,
        func.row_number().over(partition_by=RunSource.source_id, order_by=(Run.started_at.desc(), Run.id.desc()))
        .label("n"),
    ).join(Run, Run.id == RunSource.run_id).where(Run.status != "interrupted", RunSource.status != "running").subquery()
    rows = session.execute(select(ranked).where(ranked.c.n <= history).order_by(ranked.c.source_id, ranked.c.n)).all()
    by_source: dict[str, list] = {}
    for row in rows:
        by_source.setdefault(row.source_id, []).append(row)
    out = {}
    for source_id, runs in by_source.items():
        streak = next((i for i, r in enumerate(runs) if not bad(r)), len(runs))
        last_ok = next((r.started_at for r in runs if not bad(r)), None)
        newest = runs[0]
        out[source_id] = SourceHealth(source_id, streak, last_ok, newest.error_text, newest.status, newest.candidates)
    return out


def failing_sources(session: Session, threshold: int = DEFAULT_THRESHOLD) -> list[SourceHealth]:
    return sorted((h for h in source_health(session).values() if h.failing(threshold)),
                  key=lambda h: (-h.failing_runs, h.source_id))
