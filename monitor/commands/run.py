"""``run``, ``feed`` and ``demo``: the main job, by hand or on the bundled demo web.

``run`` exit codes: 0 when every source succeeded (``ok``), 3 when some failed (``partial``), 1
when all failed or the run could not start (``failed``), 75
(EX_TEMPFAIL) with ``--no-wait`` when another run holds the lock, 128 + signal number (130 for
Ctrl-C, 143 for SIGTERM) when it was stopped; what it fetched until then is kept.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from monitor.commands.common import (
    base_url_option,
    db_option,
    describe_channels,
    exit_code_of,
    sources_option,
)
from monitor.commands.schedule import BusyFailure, config_option, parse_settings, set_option
from monitor.config import load_config
from monitor.lock import RUN_LOCK, Busy, Cancelled, Holder, hold
from monitor.places import log_file_for
from monitor.process import setup_logging, stop_on_signals
from monitor.runner import (
    RunOptions,
    RunSummary,
    feeds_dir_for,
    post_process,
    run_once,
    select_sources,
)
from storage.db import data_dir, open_db, open_existing

console = Console(highlight=False)

feeds_dir_option = click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
                                help="Where to write the feeds (default: beside the database).")


def print_summary(summary: RunSummary, log_file: str | Path | None = None) -> None:
    table = Table(title=f"Run {summary.run_id}: {summary.status}", title_justify="left")
    for col in ("source", "status", "found by", "requests", "new", "updated", "removed", "errors"):
        table.add_column(col, justify="left" if col in ("source", "status", "found by") else "right")
    for rs in summary.sources:
        style = "red" if rs.status != "ok" else None
        table.add_row(rs.source_id, rs.status, describe_channels(rs.channels, short=True), str(rs.requests), str(rs.new),
                      str(rs.updated), str(rs.removed), str(rs.errors), style=style)
    console.print(table)
    failing = [rs for rs in summary.sources if rs.error_text]
    for rs in failing:
        console.print(f"[red]{rs.source_id}[/red]: {rs.error_text}", soft_wrap=True)
    if failing and log_file:
        console.print(f"Details: {log_file}", soft_wrap=True)
    counts = summary.diff.count()
    console.print(f"{counts['new']} new, {counts['updated']} updated, {counts['removed']} removed. "
                  f"Feeds: {summary.feeds_dir}")


@contextmanager
def details_logged(log_file: str | None, db: str | None) -> Iterator[str]:
    """The terminal gets one line per failing source (the summary); Scrapy's details,
    tracebacks included, go to ``--log-file`` (the crawl writes it) or else to the database's
    log file (rotated). Yields where they are."""
    if log_file:
        yield log_file
        return
    path = str(log_file_for(db))
    handler = setup_logging(path, logging.INFO)
    try:
        yield path
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _waiting(holder: Holder) -> None:
    console.print(f"[yellow]Another run is in progress[/yellow] ({holder.describe()}); "
                  "waiting for it to finish… (Ctrl-C to give up)")


def _stopping(signum: int, count: int) -> None:
    if count == 1:
        console.print("[yellow]Stopping:[/yellow] the crawl finishes the requests in flight and keeps "
                      "what it fetched (press Ctrl-C again to stop at once)…")


@click.command()
@click.argument("ids", nargs=-1)
@db_option
@sources_option
@click.option("--since", metavar="YYYY-MM-DD", help="Skip releases listed as older than this date.")
@click.option("--max-pages", type=click.IntRange(1),
              help="Page budget per source: requests of one run at most (default: the source's max_pages, 3000).")
@click.option("--walk", type=click.Choice(["backfill", "full", "daily"]),
              help="How far to walk every source (default: backfill new sources, a full walk every "
                   "full_walk, else daily: the news channels only).")
@feeds_dir_option
@base_url_option
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the crawl log to this file.")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="When another run (e.g. the scheduled one) is in progress: wait for it, or exit with code 75.")
@set_option
@click.option("--progress/--no-progress", default=None,
              help="Live per-source progress (default: on when standard output is a terminal).")
@config_option
def run(ids, db, sources, since, max_pages, walk, feeds_dir, base_url, log_file, wait, settings, progress,
        config_file) -> None:
    """Crawl the sources (all enabled ones, or IDS), store, diff and write the feeds.

    Never overlaps another run on the same database (e.g. the scheduled one): waits for it,
    or with --no-wait exits with code 75. Ctrl-C or SIGTERM stops the crawl safely; what was
    fetched is kept and the next run completes the work.
    """
    if since:
        from datetime import date

        try:
            date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    stop = threading.Event()
    cfg = load_config(config_file)
    db, sources = db or cfg.db, sources or cfg.sources
    target = cfg.feed_target(db, feeds_dir, base_url)
    opts = RunOptions(db=db, sources=sources, ids=tuple(ids), since=since, max_pages=max_pages, walk=walk,
                      feeds_dir=target.folder, base_url=target.base_url, log_file=log_file, wait=wait,
                      settings=parse_settings(settings), stop=stop, on_wait=_waiting, feeds=target.config)
    if not log_file:
        opts.capture_log, opts.log_level = True, "INFO"
    show = console.is_terminal if progress is None else progress
    display = nullcontext()
    if show:
        from monitor.commands.progress import LiveProgress

        display = LiveProgress(open_db(db), [s.id for s in select_sources(opts)], console)
        opts.on_tick = display.tick
    with (stop_on_signals(stop, _stopping, raise_on_second=True) as received,
          details_logged(log_file, db) as details):
        try:
            with display:
                summary = run_once(opts)
        except Busy as busy:
            raise BusyFailure(f"another run is in progress ({busy.holder.describe()}); "
                              "try again later, or pass --wait to wait for it") from None
        except Cancelled as exc:
            console.print(f"No run: {exc}.")
            raise SystemExit(128 + received[0] if received else 1) from None
        except KeyboardInterrupt:
            console.print("Stopped. What was fetched is stored; the next run completes the work.")
            raise SystemExit(128 + received[0] if received else 130) from None
    print_summary(summary, details)
    if summary.status == "interrupted":
        console.print("Stopped before the end. What was fetched is stored; the next run completes the work.")
        raise SystemExit(128 + received[0] if received else 1)
    if exit_code_of(summary.status):
        raise SystemExit(exit_code_of(summary.status))


@click.command()
@db_option
@feeds_dir_option
@base_url_option
@config_option
def feed(db, feeds_dir, base_url, config_file) -> None:
    """Process what hand crawls (`scrapy crawl`) stored and rewrite the feeds."""
    cfg = load_config(config_file)
    db = db or cfg.db
    target = cfg.feed_target(db, feeds_dir, base_url)
    opts = RunOptions(db=db, feeds_dir=target.folder, base_url=target.base_url, feeds=target.config)
    factory = open_existing(db)
    # A run in progress diffs the same fetches: wait for it rather than race it.
    with hold(factory, RUN_LOCK, "feed command", wait=True, on_wait=_waiting):
        result = post_process(factory, None, opts)
    counts = result.count()
    console.print(f"{counts['new']} new, {counts['updated']} updated, {counts['removed']} removed. "
                  f"Feeds written to {opts.feeds_path}")


DEMO_SETTINGS = {"AUTOTHROTTLE_START_DELAY": "0.05", "AUTOTHROTTLE_MAX_DELAY": "1"}


@click.command()
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo keeps its database and feeds (default: <data dir>/demo; reset each time).")
def demo(workdir: Path | None) -> None:
    """Start the bundled demo web on 127.0.0.1, crawl it twice and write the feeds.

    Between the two runs a new press release appears on the state portal: the second run
    reports exactly that one as new.
    """
    from monitor.demoweb import start_demo_web
    from monitor.demoweb.catalog import demo_sites, late_entry, sources_toml

    workdir = workdir or data_dir() / "demo"
    shutil.rmtree(workdir, ignore_errors=True)  # ports change per demo: start clean
    workdir.mkdir(parents=True)
    with start_demo_web(demo_sites()) as web:
        registry = workdir / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        opts = RunOptions(db=str(workdir / "ki-monitor.db"), sources=str(registry), trigger="demo",
                          settings=DEMO_SETTINGS)
        console.print(f"Demo web: {len(web.sites)} sites on 127.0.0.1 ({', '.join(web.sites)})")
        print_summary(run_once(opts))
        site_id, entry = late_entry()
        web[site_id].publish(entry)
        console.print(f"\nA new press release appears on {site_id}: “{entry.title}”. Second run:")
        print_summary(run_once(opts))
    feeds = feeds_dir_for(opts.db)
    console.print(f"\nDatabase: {workdir / 'ki-monitor.db'}\nMain feed: {feeds / 'ki-news.xml'} "
                  f"(Atom: {feeds / 'ki-news.atom'}); per KI and per Regierungsbezirk beside it.\n"
                  f"Subscribe: point a feed reader at file://{feeds / 'ki-news.xml'}, or serve them with "
                  f"`ki-monitor serve --db {workdir / 'ki-monitor.db'}` and subscribe to "
                  "http://127.0.0.1:8470/feeds/ki-news.xml (review pages at http://127.0.0.1:8470/).")
