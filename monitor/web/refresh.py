"""Feeds rewritten in the background after a correction.

Rebuilding every feed takes seconds with thousands of events; the reviewer should not wait
for it. One worker per app rewrites the feeds; corrections that arrive meanwhile make it run
once more, so the last rewrite always includes the last correction and two never overlap.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from monitor.feeds import FeedTarget

log = logging.getLogger(__name__)


class FeedRefresher:
    def __init__(self, factory: sessionmaker[Session], target: FeedTarget) -> None:
        self.factory, self.target = factory, target
        self._lock = threading.Lock()
        self._pending = False
        self._idle = threading.Event()
        self._idle.set()

    def request(self) -> None:
        with self._lock:
            self._pending = True
            if not self._idle.is_set():
                return  # the running worker picks it up
            self._idle.clear()
        threading.Thread(target=self._work, name="ki-feed-refresh", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """True once no rewrite is pending or running (for tests and shutdown)."""
        return self._idle.wait(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._idle.set()
                    return
                self._pending = False
            try:
                with self.factory() as session:
                    self.target.write(session)
            except Exception:  # noqa: BLE001 - the next run rewrites the feeds anyway
                log.exception("rewriting the feeds after a correction failed")
