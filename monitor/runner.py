"""One run of the whole job: crawl (subprocess) → differ → analysis and events → feeds.

The crawl runs in a fresh interpreter (``python -m scrapers.crawl``): Twisted's reactor cannot
be restarted, and a crashing site parser must not take the scheduler down. Everything after
the crawl works from database state, so a run killed anywhere is completed by the next one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import now as default_now
from monitor.differ import Differ, DiffResult
from monitor.feeds import write_feeds
from monitor.understand import Understanding
from scrapers.sources import Source, SourceError, load_sources, registry_path
from storage.db import data_dir, open_db, resolve_url, transaction
from storage.models import Run, RunSource


@dataclass
class RunOptions:
    db: str | None = None
    sources: str | None = None
    ids: tuple[str, ...] = ()
    since: str | None = None
    max_pages: int | None = None
    feeds_dir: Path | None = None
    base_url: str = "http://127.0.0.1:8470"
    trigger: str = "manual"
    log_file: str | None = None
    settings: dict[str, str] = field(default_factory=dict)  # extra Scrapy settings
    clock: Callable[[], datetime] = default_now

    @property
    def feeds_path(self) -> Path:
        return self.feeds_dir or feeds_dir_for(self.db)


def feeds_dir_for(db: str | None) -> Path:
    """Feeds live beside a SQLite database, else in the data directory."""
    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).parent / "feeds"
    return data_dir() / "feeds"


@dataclass
class RunSummary:
    run_id: int
    status: str
    diff: DiffResult
    sources: list[RunSource]
    feeds_dir: Path


def select_sources(opts: RunOptions) -> list[Source]:
    sources = load_sources(opts.sources)
    if not opts.ids:
        return [s for s in sources if s.enabled]
    known = {s.id: s for s in sources}
    unknown = [i for i in opts.ids if i not in known]
    if unknown:
        raise SourceError(f"unknown source '{unknown[0]}' in {registry_path(opts.sources)}; "
                          "see `ki-monitor sources list`")
    return [known[i] for i in opts.ids]


def mark_interrupted(factory: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
    """Runs left 'running' by a process that no longer exists were killed: say so."""
    with transaction(factory) as session:
        for run in session.scalars(select(Run).where(Run.status == "running")):
            if run.pid and _alive(run.pid) and run.pid != os.getpid():
                continue
            run.status, run.finished_at = "interrupted", clock()
            run.error = run.error or "the run was killed before it finished; its work is completed by the next run"
            for rs in run.sources:
                if rs.status == "running":
                    rs.status, rs.error_text = "failed", "interrupted"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def crawl_command(run_id: int, opts: RunOptions, sources: list[Source]) -> list[str]:
    cmd = [sys.executable, "-m", "scrapers.crawl", "--run-id", str(run_id), "--db", resolve_url(opts.db),
           "--sources", str(registry_path(opts.sources))]
    if opts.since:
        cmd += ["--since", opts.since]
    if opts.max_pages:
        cmd += ["--max-pages", str(opts.max_pages)]
    if opts.log_file:
        cmd += ["--log-file", opts.log_file, "--log-level", "INFO"]
    for key, value in opts.settings.items():
        cmd += ["--set", f"{key}={value}"]
    return cmd + [s.id for s in sources]


def start_run(factory: sessionmaker[Session], opts: RunOptions) -> int:
    with transaction(factory) as session:
        run = Run(started_at=opts.clock(), status="running", trigger=opts.trigger, pid=os.getpid())
        session.add(run)
        session.flush()
        return run.id


def crawl(run_id: int, opts: RunOptions, sources: list[Source],
          on_start: Callable[[subprocess.Popen], None] | None = None) -> int:
    """Run the crawl subprocess to its end; returns its exit code."""
    proc = subprocess.Popen(crawl_command(run_id, opts, sources), stdin=subprocess.DEVNULL,
                            start_new_session=True)
    if on_start:
        on_start(proc)
    try:
        return proc.wait()
    except BaseException:
        # Ctrl-C / SIGTERM: let Scrapy close cleanly (first SIGINT = graceful), then make sure.
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise


def post_process(factory: sessionmaker[Session], run_id: int | None, opts: RunOptions) -> DiffResult:
    """Differ, analysis and events in one transaction; then the feeds from what is stored."""
    with transaction(factory) as session:
        differ = Differ(session, opts.clock)
        result = differ.run(run_id)
        if run_id is not None:
            differ.tally(run_id)
        Understanding(session, opts.clock).run(result.new + result.updated)
    with factory() as session:
        write_feeds(session, opts.feeds_path, opts.base_url)
    return result


def finish_run(factory: sessionmaker[Session], run_id: int, opts: RunOptions, code: int) -> str:
    with transaction(factory) as session:
        run = session.get(Run, run_id)
        failed = [rs for rs in run.sources if rs.status != "ok"]
        for rs in run.sources:
            if rs.status == "running":  # the crawl died before the spider closed
                rs.status, rs.error_text = "failed", rs.error_text or "crawl process ended early"
        if code != 0 and not run.sources:
            run.status, run.error = "failed", f"crawl process exited with code {code}"
        else:
            run.status = "partial" if failed or code != 0 else "ok"
        run.finished_at = opts.clock()
        return run.status


def run_once(opts: RunOptions, on_start: Callable[[subprocess.Popen], None] | None = None) -> RunSummary:
    factory = open_db(opts.db)
    sources = select_sources(opts)
    mark_interrupted(factory, opts.clock)
    run_id = start_run(factory, opts)
    code = crawl(run_id, opts, sources, on_start)
    diff = post_process(factory, run_id, opts)
    status = finish_run(factory, run_id, opts, code)
    with factory() as session:
        rows = list(session.scalars(select(RunSource).where(RunSource.run_id == run_id).order_by(RunSource.source_id)))
    return RunSummary(run_id, status, diff, rows, opts.feeds_path)
