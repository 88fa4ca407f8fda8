"""Crawl entry point run in a subprocess by ``ki-monitor run`` (Twisted's reactor cannot be
restarted in one process, so every run gets a fresh interpreter).

    python -m scrapers.crawl [--run-id 7] [--db URL] [--sources FILE] [--set NAME=VALUE ...]
                             [--discover-only --report FILE] [SOURCE_ID ...]

Without ``--run-id`` each source opens its own run, like ``scrapy crawl``. ``--discover-only``
(used by ``ki-monitor sources check``) finds the releases without fetching them and writes what
each source's discovery found to ``--report`` as JSON.

At the default level (WARNING, no log file) standard error is for people: one line per problem
our spiders report (a closed port is one line for its source), no Scrapy tracebacks or retry
chatter. ``--log-file``, ``--log-level INFO`` or ``KI_MONITOR_DEBUG=1`` give the details.

Started by ``ki-monitor run`` (``$KI_MONITOR_PARENT_PID`` set), the crawl dies with its parent
even when that is killed with SIGKILL: it runs in a session of its own, so nothing else would
stop it. Linux's ``PR_SET_PDEATHSIG`` kills it the moment the parent goes; a watchdog thread
polling the parent's pid covers the race before the ``prctl`` and other systems.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

PARENT_ENV = "KI_MONITOR_PARENT_PID"
PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 0.2


def _end_own_group() -> None:
    """Kill this process and, where it leads its own process group, everything it started."""
    try:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpgrp(), signal.SIGKILL)
    finally:
        os._exit(1)


def die_with_parent(parent: int | None = None) -> None:
    """Called in a child: end at once when ``parent`` (default: ``$KI_MONITOR_PARENT_PID``, else
    the current parent) ends, even by SIGKILL."""
    parent = parent or int(os.environ.get(PARENT_ENV) or os.getppid())
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # gone before the prctl took effect
        _end_own_group()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        _end_own_group()

    threading.Thread(target=watch, name="ki-monitor-parent-watchdog", daemon=True).start()


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def report_of(spider) -> dict:
    """What discovery found for one source: the figures ``sources check`` prints."""
    dates = [c.date for c in spider.candidates.values() if c.date]
    return {
        "id": spider.source.id, "url": spider.source.url, "discovery": spider.discovery_mode,
        "candidates": len(spider.candidates), "newest": max(dates).isoformat() if dates else None,
        "complete": spider.listing_complete, "error": spider.failure, "errors": spider.errors,
        "channels": spider.channel_report(),
        "sample": [{"url": c.url, "title": c.title, "date": c.date.isoformat() if c.date else None}
                   for c in list(spider.candidates.values())[:5]],
    }


class OneLineFormatter(logging.Formatter):
    """Scrapy's format without the traceback lines."""

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None})
        return " ".join(super().format(bare).splitlines())


def _ours_or_critical(record: logging.LogRecord) -> bool:
    return not record.name.startswith(("scrapy", "twisted", "py.warnings")) or record.levelno >= logging.CRITICAL


def quiet_stderr() -> None:
    """Standard error at the default level: our spiders' one-line problems only."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            fmt = handler.formatter
            handler.setFormatter(OneLineFormatter(fmt._fmt if fmt else None, fmt.datefmt if fmt else None))
            handler.addFilter(_ours_or_critical)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.crawl")
    parser.add_argument("ids", nargs="*", help="source ids (default: every enabled source)")
    parser.add_argument("--run-id", type=int)
    parser.add_argument("--db")
    parser.add_argument("--sources")
    parser.add_argument("--since")
    parser.add_argument("--max-pages", type=int)
    parser.add_argument("--log-file")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--set", dest="settings", type=_setting, action="append", default=[],
                        metavar="NAME=VALUE", help="any Scrapy setting, e.g. AUTOTHROTTLE_START_DELAY=0")
    parser.add_argument("--walk", choices=("backfill", "full", "daily"),
                        help="how far to walk (default: backfill a new source, full every full_walk, else daily)")
    parser.add_argument("--discover-only", action="store_true", help="find releases, do not fetch them")
    parser.add_argument("--report", help="write per-source discovery results (JSON) here")
    args = parser.parse_args(argv)
    if os.environ.get(PARENT_ENV):  # started by `ki-monitor run`: end with it
        die_with_parent()

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scrapers.loader import spider_class
    from scrapers.sources import load_sources

    settings = get_project_settings()
    for name, value in args.settings:
        settings.set(name, value, priority="cmdline")
    overrides = {"KI_MONITOR_RUN_ID": args.run_id, "KI_MONITOR_DB": args.db, "KI_MONITOR_SOURCES": args.sources,
                 "KI_MONITOR_SINCE": args.since, "KI_MONITOR_MAX_PAGES": args.max_pages, "KI_MONITOR_WALK": args.walk,
                 "KI_MONITOR_DISCOVER_ONLY": args.discover_only or None,
                 "LOG_LEVEL": args.log_level, "LOG_FILE": args.log_file}
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    sources = load_sources(args.sources)
    known = {s.id for s in sources}
    if unknown := [i for i in args.ids if i not in known]:
        parser.error(f"unknown source id(s): {', '.join(unknown)}")
    chosen = [s for s in sources if (s.id in args.ids if args.ids else s.enabled)]
    process = CrawlerProcess(settings)
    crawlers = []
    for source in chosen:
        crawler = process.create_crawler(spider_class(source))
        crawlers.append(crawler)
        process.crawl(crawler)
    # After process.crawl(): each crawler reinstalls Scrapy's root handler as it starts.
    if not settings.get("LOG_FILE") and settings.get("LOG_LEVEL") == "WARNING" \
            and not os.environ.get("KI_MONITOR_DEBUG"):
        quiet_stderr()
    process.start()
    if args.report:
        reports = [report_of(c.spider) for c in crawlers if c.spider is not None]
        Path(args.report).write_text(json.dumps(reports, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
