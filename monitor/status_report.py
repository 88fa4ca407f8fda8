"""What an operator's tools ask of a running monitor, from the database alone: the last run,
each source's state, counts. One reading feeds ``/healthz`` (JSON), ``/metrics`` (Prometheus
text exposition format 0.0.4) and nothing else computes it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from monitor.clock import aware
from monitor.health import DEFAULT_THRESHOLD, source_health
from storage.models import Event, Fetch, Release, Run

RUN_STATUSES = ("ok", "partial", "failed", "interrupted", "running")


@dataclass(frozen=True)
class SourceState:
    source_id: str
    status: str  # of the last run that included the source
    failing_runs: int
    last_success: datetime | None


@dataclass(frozen=True)
class Report:
    last_run_id: int | None = None
    last_run_status: str | None = None
    last_run_started: datetime | None = None
    last_run_finished: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)  # releases, events, fetches, runs
    sources: list[SourceState] = field(default_factory=list)
    failing_after: int = DEFAULT_THRESHOLD

    @property
    def failing(self) -> list[SourceState]:
        return [s for s in self.sources if s.failing_runs >= self.failing_after]

    def health(self) -> dict:
        """``/healthz``: ``ok``, ``degraded`` (some sources failing, or the last run partial)
        or ``failing`` (the last run failed); never ran: ``no-runs``."""
        if self.last_run_id is None:
            state = "no-runs"
        elif self.last_run_status == "failed":
            state = "failing"
        elif self.failing or self.last_run_status == "partial":
            state = "degraded"
        else:
            state = "ok"
        return {"status": state, "database": "ok",
                "last_run": None if self.last_run_id is None else {
                    "id": self.last_run_id, "status": self.last_run_status,
                    "started": _iso(self.last_run_started), "finished": _iso(self.last_run_finished)},
                "counts": self.counts, "failing_sources": [s.source_id for s in self.failing]}


def _iso(dt: datetime | None) -> str | None:
    return aware(dt).isoformat() if dt else None


def read_report(session: Session, failing_after: int = DEFAULT_THRESHOLD) -> Report:
    last = session.scalars(select(Run).options(selectinload(Run.sources)).where(Run.status != "running")
                           .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
    counts = {name: session.scalar(select(func.count()).select_from(model)) or 0
              for name, model in (("releases", Release), ("events", Event), ("fetches", Fetch), ("runs", Run))}
    health = source_health(session)
    last_status = {rs.source_id: rs.status for rs in (last.sources if last else [])}
    sources = [SourceState(sid, last_status.get(sid, h.last_status or "unknown"), h.failing_runs, h.last_success)
               for sid, h in sorted(health.items())]
    for sid in sorted(set(last_status) - set(health)):
        sources.append(SourceState(sid, last_status[sid], 0, None))
    if last is None:
        return Report(counts=counts, sources=sources, failing_after=failing_after)
    return Report(last.id, last.status, last.started_at, last.finished_at, counts, sources, failing_after)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _seconds(dt: datetime | None) -> str:
    return f"{aware(dt).timestamp():.3f}" if dt else "0"


def prometheus_text(report: Report) -> str:
    """The report in Prometheus' text exposition format (HELP, TYPE, samples)."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], str]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            body = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
            lines.append(f"{name}{{{body}}} {value}" if body else f"{name} {value}")

    metric("ki_monitor_last_run_id", "gauge", "Id of the last finished run (0: none yet).",
           [({}, str(report.last_run_id or 0))])
    metric("ki_monitor_last_run_status", "gauge", "1 for the status of the last finished run.",
           [({"status": s}, "1" if s == report.last_run_status else "0") for s in RUN_STATUSES])
    metric("ki_monitor_last_run_start_timestamp_seconds", "gauge", "Start of the last finished run (Unix time).",
           [({}, _seconds(report.last_run_started))])
    metric("ki_monitor_last_run_end_timestamp_seconds", "gauge", "End of the last finished run (Unix time).",
           [({}, _seconds(report.last_run_finished))])
    metric("ki_monitor_source_ok", "gauge", "1 when the source succeeded in the last run that included it.",
           [({"source": s.source_id}, "1" if s.status == "ok" else "0") for s in report.sources])
    metric("ki_monitor_source_failing_runs", "gauge",
           "Runs in a row in which the source failed or found nothing.",
           [({"source": s.source_id}, str(s.failing_runs)) for s in report.sources])
    metric("ki_monitor_sources_failing", "gauge",
           f"Sources failing {report.failing_after} or more runs in a row.", [({}, str(len(report.failing)))])
    for name, value in report.counts.items():
        metric(f"ki_monitor_{name}", "gauge", f"Stored {name}.", [({}, str(value))])
    return "\n".join(lines) + "\n"
