"""Live per-source progress of a run on a terminal.

The crawl runs in another process and writes as it goes: a ``RunSource`` row when a source
starts and its figures when it ends, a ``Fetch`` row per page. Polling those twice a second
is all the display needs — no pipe between the processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console
from rich.live import Live
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import aware
from storage.models import Fetch, RunSource


@dataclass
class Row:
    source_id: str
    state: str = "waiting"
    pages: int = 0
    errors: int = 0
    seconds: float | None = None


def snapshot(session: Session, run_id: int, source_ids: list[str]) -> list[Row]:
    """Where each source of the run stands, from what the crawl has written so far."""
    rows = {sid: Row(sid) for sid in source_ids}
    pages = dict(session.execute(select(Fetch.source_id, func.count()).where(Fetch.run_id == run_id)
                                 .group_by(Fetch.source_id)).all())
    for rs in session.scalars(select(RunSource).where(RunSource.run_id == run_id)):
        row = rows.setdefault(rs.source_id, Row(rs.source_id))
        row.state = "crawling" if rs.status == "running" else rs.status
        row.errors = rs.errors
        if rs.started_at and rs.finished_at:
            row.seconds = (aware(rs.finished_at) - aware(rs.started_at)).total_seconds()
    for sid, count in pages.items():
        rows.setdefault(sid, Row(sid)).pages = count
    return list(rows.values())


STYLE = {"waiting": "dim", "crawling": "yellow", "ok": "green", "failed": "red"}


def render(rows: list[Row], run_id: int, elapsed: float) -> Table:
    done = sum(r.state not in ("waiting", "crawling") for r in rows)
    table = Table(title=f"Run {run_id}: {done}/{len(rows)} sources done, {elapsed:.0f} s",
                  title_justify="left")
    for col in ("source", "state", "pages", "errors", "took"):
        table.add_column(col, justify="left" if col in ("source", "state") else "right")
    for r in rows:
        table.add_row(r.source_id, f"[{STYLE.get(r.state, '')}]{r.state}[/]", str(r.pages),
                      str(r.errors), f"{r.seconds:.1f} s" if r.seconds is not None else "")
    return table


class LiveProgress:
    """``on_tick`` for :class:`monitor.runner.RunOptions`; use as a context manager."""

    def __init__(self, factory: sessionmaker[Session], source_ids: list[str], console: Console) -> None:
        self.factory, self.source_ids = factory, source_ids
        self.live = Live(console=console, refresh_per_second=4, transient=True)
        self.started = time.monotonic()

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.live.__exit__(*exc)

    def tick(self, run_id: int) -> None:
        with self.factory() as session:
            rows = snapshot(session, run_id, self.source_ids)
        self.live.update(render(rows, run_id, time.monotonic() - self.started))
