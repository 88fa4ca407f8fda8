"""``schedule``: run the whole job every day (and sources with an interval more often).

Exit codes: 0 after a clean stop (SIGTERM or Ctrl-C: the run in progress stops its crawl
safely and keeps what it fetched). ``--once``: 0 when every source succeeded (``ok``), 3 when
some failed (``partial``), 1 when all failed (``failed``), 75 (EX_TEMPFAIL) when another run
held the lock and ``on_busy = "skip"``, 128 + signal number (143 for SIGTERM, 130 for Ctrl-C)
when it was stopped before the end.
"""

from __future__ import annotations

import logging
import signal
import threading

import click

from monitor.commands.common import (
    Failure,
    config_option,
    db_option,
    exit_code_of,
    sources_option,
)
from monitor.config import Config, ConfigError, load_config
from monitor.lock import Busy, Cancelled
from monitor.process import setup_logging, stop_on_signals
from monitor.runner import run_once

log = logging.getLogger("ki_monitor.schedule")
EX_TEMPFAIL = 75


class BusyFailure(Failure):
    """Another run holds the lock: a temporary condition, exit code 75 (EX_TEMPFAIL)."""

    exit_code = EX_TEMPFAIL


def parse_settings(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--set")
        out[name.strip()] = value
    return out


set_option = click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                          help="A Scrapy setting for the crawl (repeatable), e.g. DOWNLOAD_DELAY=2.")


def load(config_file: str | None, **overrides) -> Config:
    try:
        return load_config(config_file).merged(**overrides)
    except ConfigError as exc:
        raise Failure(str(exc)) from None


def _exit_code_for(received: list[int]) -> int:
    return 128 + received[0] if received else 0


@click.command()
@config_option
@db_option
@sources_option
@click.option("--feeds-dir", type=click.Path(file_okay=False), help="Where to write the feeds.")
@click.option("--base-url", help="Public URL the feeds are served under.")
@click.option("--time", "time_", metavar="HH:MM", help="Daily run time  [config default: 06:30]")
@click.option("--timezone", metavar="ZONE", help="Time zone of --time  [config default: Europe/Berlin]")
@click.option("--every", metavar="DURATION", help="Run the whole job at this interval (90s, 30m, 6h) instead of daily.")
@click.option("--misfire-grace", metavar="DURATION",
              help="A run missed by less than this (machine was down) runs once at start-up  [config default: 6h]")
@click.option("--on-busy", type=click.Choice(["wait", "skip"]),
              help="When another run holds the lock: wait for it or skip this run  [config default: wait]")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Log here (rotated) instead of standard error.")
@set_option
@click.option("--once", is_flag=True, help="Run the whole job once now and exit (for cron or systemd timers).")
def schedule(config_file, db, sources, feeds_dir, base_url, time_, timezone, every, misfire_grace, on_busy,
             log_file, settings, once) -> None:
    """Run the whole job daily (default 06:30 Europe/Berlin) until stopped.

    Sources with an `interval` shorter than a day in the registry also run on their own at
    that interval. Runs missed while the machine was down are caught up once at start-up
    (within --misfire-grace). SIGTERM or Ctrl-C: no new runs; the run in progress stops its
    crawl safely, keeps what it fetched, and the process exits with 0.
    """
    cfg = load(config_file, db=db, sources=sources, feeds_dir=feeds_dir, base_url=base_url, time=time_,
               timezone=timezone, every=every, misfire_grace=misfire_grace, on_busy=on_busy,
               log_file=log_file, settings=parse_settings(settings) or None)
    if once:
        raise SystemExit(_run_once(cfg))
    from monitor.scheduler import Scheduler

    setup_logging(cfg.log_file)
    scheduler = Scheduler(cfg)

    def told(signum: int, count: int) -> None:
        name = signal.Signals(signum).name
        if count == 1:
            log.info("%s: taking no new runs; a run in progress stops its crawl safely", name)
        else:
            log.info("%s again: already stopping (the crawl is killed if it takes too long)", name)

    with stop_on_signals(scheduler.stop, told):
        try:
            scheduler.start()
        except Busy as busy:
            raise Failure(f"another scheduler already runs on this database ({busy.holder.describe()}); "
                          "stop it first, or use another --db") from None
        log.info("scheduler started; stop with SIGTERM or Ctrl-C")
        try:
            while not scheduler.stop.wait(1.0):
                pass
        finally:
            scheduler.shutdown()
    log.info("scheduler stopped")


def _run_once(cfg: Config) -> int:
    from monitor.commands.run import print_summary
    from monitor.scheduler import describe, run_options

    handler = setup_logging(cfg.log_file, logging.INFO if cfg.log_file else logging.WARNING)
    stop = threading.Event()
    opts = run_options(cfg, "timer", stop=stop)
    opts.capture_log = bool(cfg.log_file)  # without a log file, the crawl logs to our stderr
    opts.log_level = "INFO" if cfg.log_file else None
    opts.on_wait = lambda h: click.echo(f"Another run is in progress ({h.describe()}); waiting for it to finish…",
                                        err=True)
    try:
        with stop_on_signals(stop, raise_on_second=True) as received:
            try:
                summary = run_once(opts)
            except Busy as busy:
                click.echo(f"ki-monitor: another run is in progress ({busy.holder.describe()}); "
                           "skipped (on_busy = skip)", err=True)
                return EX_TEMPFAIL
            except Cancelled as exc:
                click.echo(f"ki-monitor: no run: {exc}", err=True)
                return _exit_code_for(received)
            except KeyboardInterrupt:
                return _exit_code_for(received) or 130
        log.info("%s", describe(summary))
        print_summary(summary, cfg.log_file)
        if summary.status == "interrupted":
            return _exit_code_for(received) or 1
        return exit_code_of(summary.status)
    finally:
        logging.getLogger().removeHandler(handler)
