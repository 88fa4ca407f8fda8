"""``runs`` and ``status``: how each run went, and whether the monitor is healthy."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitor.clock import BERLIN, aware
from monitor.commands.common import config_option, db_option, describe_channels, json_option
from monitor.commands.schedule import load
from monitor.health import failing_sources
from monitor.lock import RUN_LOCK, SCHEDULER_LOCK, holder_of, stale
from storage.db import open_read_only, read_engine
from storage.models import Lock, Run, RunSource

console = Console(highlight=False)


def _wide_when_piped() -> None:
    """Tables for logs, mail from cron and pipes: do not wrap at rich's default 80 columns."""
    if not console.is_terminal:
        console.width = max(console.width, 150)


def local(dt: datetime | None) -> str:
    return aware(dt).astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S") if dt else "-"


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    return (aware(end) - aware(start)).total_seconds() if start and end else None


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{seconds:.1f}s"


def size(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def responses(by_status: dict) -> str:
    return " ".join(f"{code}×{n}" for code, n in sorted((by_status or {}).items())) or "-"


def source_record(rs: RunSource) -> dict:
    return {"source": rs.source_id, "status": rs.status, "requests": rs.requests,
            "responses": dict(sorted((rs.responses or {}).items())), "bytes": rs.bytes,
            "new": rs.new, "updated": rs.updated, "removed": rs.removed, "errors": rs.errors,
            "error": rs.error_text, "seconds": seconds_between(rs.started_at, rs.finished_at),
            "channels": rs.channels}


def run_record(run: Run) -> dict:
    sources = [source_record(rs) for rs in run.sources]
    return {"id": run.id, "status": run.status, "trigger": run.trigger,
            "started": aware(run.started_at).isoformat(),
            "finished": aware(run.finished_at).isoformat() if run.finished_at else None,
            "seconds": seconds_between(run.started_at, run.finished_at), "error": run.error,
            "totals": {k: sum(s[k] for s in sources) for k in ("requests", "bytes", "new", "updated", "removed", "errors")},
            "sources": sources}


def recent_runs(session: Session, last: int) -> list[Run]:
    return list(session.scalars(select(Run).options(selectinload(Run.sources))
                                .order_by(Run.started_at.desc(), Run.id.desc()).limit(last)))


def print_run(rec: dict, channels: bool = True) -> None:
    style = {"ok": "green", "partial": "yellow", "running": "cyan"}.get(rec["status"], "red")
    t = rec["totals"]
    console.print(f"[bold]Run {rec['id']}[/bold] [{style}]{rec['status']}[/] · {rec['trigger']} · "
                  f"{local(datetime.fromisoformat(rec['started']))} · {duration(rec['seconds'])} · "
                  f"{t['new']} new, {t['updated']} updated, {t['removed']} removed, {t['errors']} errors")
    if rec["error"]:
        console.print(f"  {rec['error']}")
    if not rec["sources"]:
        return
    table = Table(box=None, padding=(0, 1), pad_edge=False)
    cols = ("source", "status", "requests", "responses", "bytes", "new", "updated", "removed", "errors", "took")
    for col in cols:
        table.add_column(col, justify="left" if col in ("source", "status", "responses") else "right")
    for s in rec["sources"]:
        table.add_row(s["source"], s["status"], str(s["requests"]), responses(s["responses"]), size(s["bytes"]),
                      str(s["new"]), str(s["updated"]), str(s["removed"]), str(s["errors"]),
                      duration(s["seconds"]), style="red" if s["status"] != "ok" else None)
    console.print(table)
    for s in rec["sources"]:
        if channels and s.get("channels"):
            console.print(f"  {s['source']}: {describe_channels(s['channels'])}")
        if s["error"]:
            console.print(f"  [red]{s['source']}[/red]: {s['error']}")


@click.command()
@db_option
@click.option("--last", type=click.IntRange(1), default=5, show_default=True, help="How many runs, newest first.")
@json_option
def runs(db, last, as_json) -> None:
    """Run history: per run and source, requests, responses by status, bytes, changes, errors, time."""
    _wide_when_piped()
    with open_read_only(db)() as session:
        records = [run_record(r) for r in recent_runs(session, last)]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    if not records:
        console.print("No runs yet. Start one with `ki-monitor run`, or schedule them with `ki-monitor schedule`.")
        return
    for rec in records:
        print_run(rec)
        console.print()


def status_record(db: str | None, failing_after: int) -> dict:
    from monitor.scheduler import stored_next_runs

    factory = open_read_only(db)
    with factory() as session:
        finished = session.scalars(select(Run).options(selectinload(Run.sources)).where(Run.status != "running")
                                   .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
        running = session.scalars(select(Run).where(Run.status == "running").order_by(Run.id.desc())).first()
        failing = failing_sources(session, failing_after)
        sched_row = session.get(Lock, SCHEDULER_LOCK)
        scheduler_alive = sched_row is not None and not stale(sched_row)
    jobs = stored_next_runs(read_engine(db))
    run_holder = holder_of(factory, RUN_LOCK)
    return {
        "scheduler": {"running": scheduler_alive,
                      "pid": sched_row.pid if scheduler_alive else None,
                      "jobs": {job: (when.isoformat() if when else None) for job, when in jobs.items()}},
        "next_run": min((w for w in jobs.values() if w), default=None),
        "running": {"id": running.id, "trigger": running.trigger, "started": aware(running.started_at).isoformat(),
                    "lock": run_holder.describe() if run_holder else None} if running else None,
        "last_run": run_record(finished) if finished else None,
        "failing_after": failing_after,
        "failing": [{"source": h.source_id, "runs": h.failing_runs, "problem": h.problem,
                     "last_success": aware(h.last_success).isoformat() if h.last_success else None}
                    for h in failing],
    }


@click.command()
@config_option
@db_option
@click.option("--failing-after", type=click.IntRange(1),
              help="Report sources failing or empty this many runs in a row  [config default: 3]")
@json_option
def status(config_file, db, failing_after, as_json) -> None:
    """Next scheduled run, the last run's result and the sources that keep failing."""
    _wide_when_piped()
    cfg = load(config_file, db=db, failing_after=failing_after)
    rec = status_record(cfg.db, cfg.failing_after)
    if as_json:
        out = dict(rec, next_run=rec["next_run"].isoformat() if rec["next_run"] else None)
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    sched = rec["scheduler"]
    if rec["next_run"]:
        state = f"running (pid {sched['pid']})" if sched["running"] else "not running — it catches up when started"
        console.print(f"Next scheduled run: [bold]{local(rec['next_run'])}[/bold] (Europe/Berlin); scheduler {state}")
        for job, when in sorted(sched["jobs"].items()):
            if job != "daily":
                console.print(f"  {job}: next {local(datetime.fromisoformat(when)) if when else 'paused'}")
    else:
        console.print("Nothing scheduled yet: start `ki-monitor schedule` (see README, Deployment).")
    if rec["running"]:
        r = rec["running"]
        console.print(f"[cyan]Run {r['id']} in progress[/cyan] ({r['trigger']}, since "
                      f"{local(datetime.fromisoformat(r['started']))})")
    if rec["last_run"]:
        console.print("Last run:")
        print_run(rec["last_run"], channels=False)
    else:
        console.print("No finished run yet.")
    if rec["failing"]:
        console.print(f"[red]Failing sources[/red] (errors or no releases {rec['failing_after']}+ runs in a row):")
        for f in rec["failing"]:
            last_ok = local(datetime.fromisoformat(f["last_success"])) if f["last_success"] else "never"
            console.print(f"  {f['source']}: {f['runs']} runs — {f['problem']} (last success: {last_ok})")
    elif rec["last_run"]:
        console.print(f"[green]No source failing[/green] ({rec['failing_after']}+ runs in a row).")
