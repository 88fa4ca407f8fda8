"""One run of the whole job: crawl (subprocess) → extraction → differ → analysis and events →
feeds.

The crawl runs in a fresh interpreter (``python -m scrapers.crawl``): Twisted's reactor cannot
be restarted, and a crashing site parser must not take the scheduler down. It only downloads
and stores; while it runs, this process extracts, diffs and analyses what it stored so far, so
the two use both cores. Everything after the download works from database state, so a run
killed anywhere is completed by the next one.

A run holds the database lock ``run`` (:mod:`monitor.lock`) from start to end, so a manual and a
scheduled run never overlap: the second waits or raises :class:`monitor.lock.Busy`. Setting
``RunOptions.stop`` (the signal handlers of ``run`` and ``schedule`` do) stops the crawl the way
Scrapy likes it (SIGINT: finish requests in flight, close spiders), then the run keeps what was
fetched, writes the feeds and ends as ``interrupted``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import now as default_now
from monitor.differ import Differ, DiffResult
from monitor.extraction import extract_pending
from monitor.feeds import FeedConfig, write_feeds
from monitor.lock import RUN_LOCK, Cancelled, Holder, hold
from monitor.places import feeds_dir_for
from monitor.process import child_environment
from monitor.understand import Understanding
from scrapers.sources import Source, SourceError, load_sources, registry_path
from storage.db import open_db, resolve_url, transaction
from storage.models import Run, RunSource


@dataclass
class RunOptions:
    db: str | None = None
    sources: str | None = None
    ids: tuple[str, ...] = ()
    since: str | None = None
    max_pages: int | None = None
    walk: str | None = None  # backfill | full | daily; default: the spider decides per source
    feeds_dir: Path | None = None
    base_url: str = "http://127.0.0.1:8470"
    trigger: str = "manual"
    log_file: str | None = None
    settings: dict[str, str] = field(default_factory=dict)  # extra Scrapy settings
    clock: Callable[[], datetime] = default_now
    # Another run holds the lock: wait for it (forever, or lock_timeout seconds) or raise Busy.
    wait: bool = True
    lock_timeout: float | None = None
    on_wait: Callable[[Holder], None] | None = None  # told once who we are waiting for
    stop: threading.Event | None = None  # set by signal handlers: stop the crawl safely
    on_tick: Callable[[int], None] | None = None  # called with the run id while the crawl runs
    capture_log: bool = False  # crawl's stderr into the logger "ki_monitor.crawl", not inherited
    log_level: str | None = None  # the crawl's log level (its default is WARNING)
    # While the crawl runs, diff and analyse what it has stored for up to this many seconds
    # per tick (0: only after the crawl).
    step_seconds: float = 1.0
    feeds: FeedConfig | None = None  # feed size, updates, health (default: KI_MONITOR_FEED_*)

    @property
    def feeds_path(self) -> Path:
        return self.feeds_dir or feeds_dir_for(self.db)


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
    if opts.walk:
        cmd += ["--walk", opts.walk]
    if opts.log_file:
        cmd += ["--log-file", opts.log_file]
    if opts.log_level or opts.log_file:
        cmd += ["--log-level", opts.log_level or "INFO"]
    # The crawl only downloads and stores; extraction runs here, beside it (monitor.extraction).
    for key, value in {"KI_MONITOR_EXTRACT_LATER": "True", **opts.settings}.items():
        cmd += ["--set", f"{key}={value}"]
    return cmd + [s.id for s in sources]


def start_run(factory: sessionmaker[Session], opts: RunOptions) -> int:
    with transaction(factory) as session:
        run = Run(started_at=opts.clock(), status="running", trigger=opts.trigger, pid=os.getpid())
        session.add(run)
        session.flush()
        return run.id


TICK = 0.5  # seconds between progress callbacks and stop checks
STOP_GRACE = 20.0  # seconds Scrapy gets to close after SIGINT before it is killed
log = logging.getLogger("ki_monitor.run")
crawl_log = logging.getLogger("ki_monitor.crawl")


def _pump(stream, logger: logging.Logger) -> None:
    """Forward the crawl's log lines, keeping Scrapy's level where the line names it."""
    for line in stream:
        line = line.rstrip()
        level = next((lv for name, lv in (("CRITICAL", 50), ("ERROR", 40), ("WARNING", 30))
                      if f"] {name}:" in line), logging.INFO)
        if line and not (level == logging.INFO and "[alembic." in line):  # migration chatter, every run
            logger.log(level, "%s", line)
    stream.close()


def _stop_child(proc: subprocess.Popen, grace: float = STOP_GRACE) -> int:
    """SIGINT first (Scrapy's graceful stop), SIGKILL if it does not end within ``grace``."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def crawl(run_id: int, opts: RunOptions, sources: list[Source],
          on_start: Callable[[subprocess.Popen], None] | None = None,
          meanwhile: Callable[[], int] | None = None) -> int:
    """Run the crawl subprocess to its end, calling ``meanwhile`` between waits; returns its
    exit code.

    The child runs in its own session, so a terminal's Ctrl-C reaches only us and we decide
    how the crawl stops; it dies with us if we are killed (``monitor.process.die_with_parent``).
    """
    proc = subprocess.Popen(crawl_command(run_id, opts, sources), stdin=subprocess.DEVNULL, env=child_environment(),
                            stderr=subprocess.PIPE if opts.capture_log else None,
                            text=opts.capture_log, errors="replace", start_new_session=True)
    pump = None
    if opts.capture_log:
        pump = threading.Thread(target=_pump, args=(proc.stderr, crawl_log), daemon=True)
        pump.start()
    if on_start:
        on_start(proc)
    stopping_since: float | None = None
    busy = False  # the last ``meanwhile`` found work: look again at once rather than idle
    try:
        while True:
            try:
                code = proc.wait(timeout=0.01 if busy else TICK)
                break
            except subprocess.TimeoutExpired:
                pass
            if opts.on_tick:
                try:
                    opts.on_tick(run_id)
                except Exception:  # a broken progress display must not break the run
                    log.exception("progress callback failed")
            busy = bool(meanwhile()) if meanwhile and stopping_since is None else False
            if opts.stop is not None and opts.stop.is_set():
                if stopping_since is None:
                    log.info("stopping the crawl of run %s (SIGINT to the crawl process)", run_id)
                    proc.send_signal(signal.SIGINT)
                    stopping_since = time.monotonic()
                elif time.monotonic() - stopping_since > STOP_GRACE:
                    log.warning("the crawl did not stop within %.0f s: killing it", STOP_GRACE)
                    proc.kill()
    except BaseException:
        _stop_child(proc)
        raise
    finally:
        if pump is not None:
            pump.join(timeout=5)
    return code


# Fetches per transaction while the crawl is still writing: short write locks on SQLite.
BATCH = 50


def analyse(factory: sessionmaker[Session], opts: RunOptions, result: DiffResult) -> None:
    """Analysis and events in a transaction of their own, after the differ's has committed:
    the analysis runs before the first write, so SQLite's write lock is held only for the
    final flush (a release left unanalysed by a crash has no label and is picked up again)."""
    with transaction(factory) as session:
        Understanding(session, opts.clock).run(result.new + result.updated)


def process_pending(factory: sessionmaker[Session], opts: RunOptions, seconds: float,
                    into: DiffResult) -> int:
    """Extract, diff and analyse pending fetches for about ``seconds``, ``BATCH`` per
    transaction, so this work runs on the second core while the crawl downloads instead of
    queueing behind it, and the crawl's own writes never wait long for the SQLite write lock.
    Adds what it found to ``into``; returns how many fetches it handled."""
    handled = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        extract_pending(factory, BATCH)
        with transaction(factory) as session:
            differ = Differ(session, opts.clock)
            result = differ.run(limit=BATCH)
        analyse(factory, opts, result)
        into.extend(result)
        handled += differ.processed
        if differ.processed < BATCH:
            break
    return handled


def post_process(factory: sessionmaker[Session], run_id: int | None, opts: RunOptions,
                 earlier: DiffResult | None = None) -> DiffResult:
    """The rest of the pending fetches, removals and run figures in one transaction; then the
    feeds from what is stored."""
    while extract_pending(factory, BATCH):
        pass
    with transaction(factory) as session:
        differ = Differ(session, opts.clock)
        result = differ.run(run_id)
        if run_id is not None:
            differ.tally(run_id)
    analyse(factory, opts, result)
    with factory() as session:
        write_feeds(session, opts.feeds_path, opts.base_url, opts.feeds or FeedConfig.from_env(), clock=opts.clock)
    return result.merged(earlier) if earlier else result


def finish_run(factory: sessionmaker[Session], run_id: int, opts: RunOptions, code: int,
               stopped: bool = False) -> str:
    with transaction(factory) as session:
        run = session.get(Run, run_id)
        failed = [rs for rs in run.sources if rs.status != "ok"]
        for rs in run.sources:
            if rs.status == "running":  # the crawl died before the spider closed
                rs.status, rs.error_text = "failed", rs.error_text or "crawl process ended early"
        if stopped:
            run.status = "interrupted"
            run.error = "stopped on request; what was fetched is stored, the next run does the rest"
        elif code != 0 and not run.sources:
            run.status, run.error = "failed", f"crawl process exited with code {code}"
        elif run.sources and len(failed) == len(run.sources):
            run.status = "failed"  # every source failed: an outage, not a partial result
            run.error = run.error or f"all {len(failed)} sources failed"
        else:
            run.status = "partial" if failed or code != 0 else "ok"
        run.finished_at = opts.clock()
        return run.status


def _stop_requested(opts: RunOptions) -> bool:
    return opts.stop is not None and opts.stop.is_set()


def run_once(opts: RunOptions, on_start: Callable[[subprocess.Popen], None] | None = None) -> RunSummary:
    """One whole run under the run lock. Raises ``Busy`` (``wait=False``) or ``Cancelled``
    (stop requested or ``lock_timeout`` passed while waiting) without starting a run."""
    factory = open_db(opts.db)
    sources = select_sources(opts)
    with hold(factory, RUN_LOCK, f"{opts.trigger} run", wait=opts.wait, timeout=opts.lock_timeout,
              stop=opts.stop, on_wait=opts.on_wait):
        if _stop_requested(opts):
            raise Cancelled("stop requested before the run started")
        mark_interrupted(factory, opts.clock)
        run_id = start_run(factory, opts)
        during = DiffResult()
        meanwhile = (lambda: process_pending(factory, opts, opts.step_seconds, during)) \
            if opts.step_seconds > 0 else None
        try:
            code = crawl(run_id, opts, sources, on_start, meanwhile)
        except BaseException:
            # Ctrl-C without a stop event: the crawl has been stopped; record it. The fetches
            # stay undiffed and the next run's differ picks them up.
            finish_run(factory, run_id, opts, -1, stopped=True)
            raise
        diff = post_process(factory, run_id, opts, earlier=during)
        status = finish_run(factory, run_id, opts, code, stopped=_stop_requested(opts))
    with factory() as session:
        rows = list(session.scalars(select(RunSource).where(RunSource.run_id == run_id).order_by(RunSource.source_id)))
    return RunSummary(run_id, status, diff, rows, opts.feeds_path)
