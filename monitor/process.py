"""Process plumbing for the long-running commands: rotating log files, stopping on signals, and
and the environment that makes a crawl child die with its parent (``scrapers.crawl``).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"
LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5


class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A log file that cannot be written (a full disk) drops the record quietly: logging's
    default prints "--- Logging error ---" and a traceback per record on stderr, which would
    bury the one line that says the disk is full."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging(log_file: str | None, level: int = logging.INFO) -> logging.Handler:
    """Log to ``log_file`` (rotated at 5 MiB, 5 old files kept) or else to standard error.

    Rotation by size rather than by day: a daemon that is restarted often would otherwise
    keep many tiny files, and a broken site that logs a lot cannot fill the disk.
    """
    if log_file:
        Path(log_file).expanduser().parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = QuietRotatingFileHandler(
            Path(log_file).expanduser(), maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler says "Running job ..." at INFO for every run; ours says more, once.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return handler


@contextmanager
def stop_on_signals(stop: threading.Event, on_signal: Callable[[int, int], None] | None = None,
                    raise_on_second: bool = False) -> Iterator[list[int]]:
    """SIGTERM and SIGINT set ``stop`` (must be entered in the main thread).

    ``on_signal(signum, count)`` is told of each one. With ``raise_on_second`` a second signal
    raises KeyboardInterrupt, for commands whose crawl runs in the main thread (Ctrl-C twice
    = stop now). Yields the list of signals received.
    """
    received: list[int] = []

    def handler(signum: int, _frame) -> None:
        received.append(signum)
        stop.set()
        if on_signal:
            on_signal(signum, len(received))
        if raise_on_second and len(received) > 1:
            raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)



def child_environment() -> dict[str, str]:
    """The environment for a crawl child: it dies with this process (see ``scrapers.crawl``)."""
    from scrapers.crawl import PARENT_ENV

    return {**os.environ, PARENT_ENV: str(os.getpid())}
