"""The long-running schedule: APScheduler 3 (BackgroundScheduler, never the Twisted one).

- One job ``daily`` runs the whole job at ``time`` in ``timezone`` (or every ``every``); one job
  ``source:<id>`` per enabled source that asks for a shorter ``interval`` runs just that source.
- Jobs live in the same database (``apscheduler_jobs``), so their next run time survives a
  restart; ``coalesce`` + ``misfire_grace_time`` turn runs missed while the machine was down
  into one run at start-up, and ``max_instances=1`` keeps a job from overlapping itself.
- Every run goes through :func:`monitor.runner.run_once`: crawl in a subprocess, the database
  lock ``run`` against a parallel manual run (``on_busy``: wait or skip).
- Two schedulers on one database would run everything twice: the lock ``scheduler`` says no.
- With a ``[digest]`` table, a job ``digest`` at its time and the end of every run offer the
  daily digest mail (:mod:`monitor.digest` sends it at most once a day).

Stored jobs name :func:`scheduled_run` by reference; it finds the live :class:`Scheduler`
through a module global, as job stores only keep picklable arguments.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect, text

from monitor.clock import now as default_now
from monitor.config import Config, parse_time
from monitor.digest import send_digest_if_due
from monitor.lock import SCHEDULER_LOCK, Busy, Cancelled, release, try_acquire
from monitor.runner import RunOptions, RunSummary, run_once
from scrapers.sources import load_sources
from storage.db import engine_for, open_db, resolve_url

log = logging.getLogger("ki_monitor.schedule")
DAILY = "daily"
DIGEST = "digest"
SOURCE_PREFIX = "source:"
JOBS_TABLE = "apscheduler_jobs"

_active: Scheduler | None = None


def scheduled_run(ids: list[str] | None = None, digest: bool = False) -> None:
    """The function every stored job calls."""
    if _active is None:
        log.error("a scheduled job fired without a running scheduler; ignored")
        return
    if digest:
        _active.offer_digest()
        return
    _active.run_job(tuple(ids or ()), "interval" if ids else "schedule")


class _BackgroundScheduler(BackgroundScheduler):
    def _process_jobs(self):
        # Upstream skips processing only while paused: a wake-up that lands after shutdown()
        # began would still advance due jobs it can no longer submit, losing a missed run.
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def run_options(cfg: Config, trigger: str, ids: tuple[str, ...] = (),
                stop: threading.Event | None = None, clock: Callable[[], datetime] = default_now) -> RunOptions:
    return RunOptions(
        db=cfg.db, sources=cfg.sources, ids=ids, since=cfg.since, max_pages=cfg.max_pages,
        feeds_dir=Path(cfg.feeds_dir) if cfg.feeds_dir else None, base_url=cfg.public_url,
        trigger=trigger, settings=dict(cfg.settings), clock=clock, wait=cfg.on_busy == "wait",
        stop=stop, capture_log=True, log_level="INFO", feeds=cfg.feed_config(),
    )


def describe(summary: RunSummary) -> str:
    counts = summary.diff.count()
    failed = [rs.source_id for rs in summary.sources if rs.status != "ok"]
    return (f"run {summary.run_id} {summary.status}: {len(summary.sources)} sources, "
            f"{counts['new']} new, {counts['updated']} updated, {counts['removed']} removed"
            + (f"; failed: {', '.join(failed)}" if failed else ""))


def _trigger_key(trigger: BaseTrigger) -> tuple:
    """What makes two triggers the same schedule (an interval's start date does not)."""
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval_length, str(trigger.timezone))
    return (type(trigger).__name__, str(trigger), str(getattr(trigger, "timezone", "")))


class Scheduler:
    """Owns the APScheduler instance, the stop flag and what a job run needs.

    ``clock`` tells the time when jobs are (re)registered and runs are stamped; tests inject
    one to pretend the scheduler was set up days ago.
    """

    def __init__(self, cfg: Config, clock: Callable[[], datetime] = default_now) -> None:
        self.cfg, self.clock = cfg, clock
        self.tz = ZoneInfo(cfg.timezone)
        self.stop = threading.Event()
        self.factory = open_db(cfg.db)  # migrated before APScheduler adds its table
        self.url = resolve_url(cfg.db)
        self.aps = _BackgroundScheduler(
            # The engine of the app: its SQLite pragmas (WAL, busy_timeout) cover the job store too.
            jobstores={"default": SQLAlchemyJobStore(engine=engine_for(self.url), tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg.misfire_grace},
            timezone=self.tz,
        )
        self.runs: list[RunSummary] = []
        self._locked = False

    # -- jobs ------------------------------------------------------------------------------
    def daily_trigger(self) -> BaseTrigger:
        if self.cfg.every_seconds:
            return IntervalTrigger(seconds=self.cfg.every_seconds, timezone=self.tz)
        hour, minute, second = parse_time(self.cfg.time)
        return CronTrigger(hour=hour, minute=minute, second=second, timezone=self.tz)

    def wanted_jobs(self) -> dict[str, tuple[BaseTrigger, dict, str]]:
        jobs = {DAILY: (self.daily_trigger(), {}, "whole job")}
        if self.cfg.digest:
            hour, minute, second = parse_time(self.cfg.digest.time)
            jobs[DIGEST] = (CronTrigger(hour=hour, minute=minute, second=second, timezone=self.tz),
                            {"digest": True}, "daily digest mail")
        for source in load_sources(self.cfg.sources):
            seconds = source.interval_seconds
            if source.enabled and seconds and seconds < 86400:
                jobs[SOURCE_PREFIX + source.id] = (IntervalTrigger(seconds=seconds, timezone=self.tz),
                                                   {"ids": [source.id]}, f"source {source.id} every {source.interval}")
        return jobs

    def sync_jobs(self) -> None:
        """Make the stored jobs match the configuration, keeping the next run time of every job
        whose schedule did not change: that is what lets a missed run catch up at start-up."""
        wanted = self.wanted_jobs()
        for job in self.aps.get_jobs():
            if job.id not in wanted:
                log.info("removing job %s (no longer configured)", job.id)
                job.remove()
        now = self.clock().astimezone(self.tz)
        for job_id, (trigger, kwargs, name) in wanted.items():
            job = self.aps.get_job(job_id)
            if job is not None and _trigger_key(job.trigger) == _trigger_key(trigger):
                if job.kwargs != kwargs or job.name != name:
                    job.modify(kwargs=kwargs, name=name)
                continue
            if job is not None:
                log.info("schedule of %s changed: %s", job_id, trigger)
                job.remove()
            self.aps.add_job(scheduled_run, trigger, id=job_id, name=name, kwargs=kwargs,
                             next_run_time=trigger.get_next_fire_time(None, now))

    def next_runs(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.aps.get_jobs()}

    # -- running ---------------------------------------------------------------------------
    def run_job(self, ids: tuple[str, ...], trigger: str) -> RunSummary | None:
        if self.stop.is_set():
            return None
        opts = run_options(self.cfg, trigger, ids, self.stop, self.clock)
        opts.on_wait = lambda h: log.info("another run is in progress (%s); waiting", h.describe())
        label = f"{trigger} run" + (f" of {', '.join(ids)}" if ids else "")
        log.info("%s starting", label)
        try:
            summary = run_once(opts)
        except Busy as busy:
            log.warning("%s skipped: another run is in progress (%s); on_busy = \"skip\"",
                        label, busy.holder.describe())
            return None
        except Cancelled as exc:
            log.info("%s not started: %s", label, exc)
            return None
        except Exception:
            log.exception("%s failed", label)
            raise
        log.info("%s", describe(summary))
        self.runs.append(summary)
        self.offer_digest()
        return summary

    def offer_digest(self) -> None:
        """Send the daily digest if one is configured and due; a mail problem never stops runs."""
        if self.cfg.digest is None or self.stop.is_set():
            return
        try:
            outcome = send_digest_if_due(self.factory, self.cfg.digest, self.tz, self.cfg.public_url, self.clock)
        except Exception:
            log.exception("daily digest failed")
            return
        log.info("daily digest: %s (%s)", outcome.status, outcome.detail)

    def start(self, paused: bool = False) -> None:
        """Take the scheduler lock, bring the stored jobs up to date and start running them."""
        global _active
        try_acquire(self.factory, SCHEDULER_LOCK, "scheduler")
        self._locked = True
        _active = self
        self.aps.start(paused=True)
        self.sync_jobs()
        for job_id, when in sorted(self.next_runs().items()):
            log.info("job %s: next run %s", job_id, when.isoformat() if when else "paused")
        if not paused:
            self.aps.resume()

    def shutdown(self) -> None:
        """No new runs; a run in progress stops its crawl safely and ends; then we return."""
        global _active
        self.stop.set()
        if self.aps.running:
            self.aps.shutdown(wait=True)
        if _active is self:
            _active = None
        if self._locked:
            release(self.factory, SCHEDULER_LOCK)
            self._locked = False


def stored_next_runs(db: str | None | Engine) -> dict[str, datetime | None]:
    """Next run time per stored job, read from the job store table without a scheduler."""
    engine = db if isinstance(db, Engine) else engine_for(resolve_url(db))
    if not inspect(engine).has_table(JOBS_TABLE):
        return {}
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, next_run_time FROM {JOBS_TABLE} ORDER BY next_run_time"))
        return {row[0]: (datetime.fromtimestamp(row[1], UTC) if row[1] is not None else None)
                for row in rows}
