"""Named locks in the database, so a manual and a scheduled run never overlap.

Taking a lock is one INSERT of the row named after it: the primary key makes it atomic across
processes, whichever database is behind the URL. A row whose holder process no longer exists
(same host, pid gone) is stale and is taken over, so a killed run never blocks the next one.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import BERLIN, aware
from monitor.clock import now as utcnow
from storage.db import transaction
from storage.models import Lock

RUN_LOCK = "run"
SCHEDULER_LOCK = "scheduler"


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as stored in its row."""

    name: str
    holder: str  # "<what> on <host>", e.g. "scheduled run on pi"
    pid: int | None
    acquired_at: datetime

    def describe(self) -> str:
        since = aware(self.acquired_at).astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S")
        return f"{self.holder}, pid {self.pid}, since {since}"


class Busy(Exception):
    """The lock is held by another live process."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"lock '{holder.name}' is held by {holder.describe()}")
        self.holder = holder


class Cancelled(Exception):
    """Waiting for the lock was given up (shutdown requested or timeout)."""


def _host() -> str:
    return socket.gethostname()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def stale(row: Lock) -> bool:
    """A lock is stale when its holder ran on this host and that process is gone."""
    if row.pid is None or not row.holder.endswith(f" on {_host()}"):
        return False  # another host: we cannot tell, so we trust it
    return not _alive(row.pid)


def holder_of(factory: sessionmaker[Session], name: str) -> Holder | None:
    with factory() as session:
        row = session.get(Lock, name)
        return Holder(row.name, row.holder, row.pid, row.acquired_at) if row else None


def try_acquire(factory: sessionmaker[Session], name: str, what: str,
                pid: int | None = None, clock: Callable[[], datetime] = utcnow) -> None:
    """Take the lock or raise :class:`Busy`; a stale row is removed and the insert retried."""
    pid = os.getpid() if pid is None else pid
    for _ in range(3):
        try:
            with transaction(factory) as session:
                session.add(Lock(name=name, holder=f"{what} on {_host()}", pid=pid, acquired_at=clock()))
            return
        except IntegrityError:
            pass
        with transaction(factory) as session:
            row = session.get(Lock, name)
            if row is None:
                continue  # released meanwhile: try again
            if not stale(row):
                raise Busy(Holder(row.name, row.holder, row.pid, row.acquired_at))
            # Delete only the very row we judged stale, not one a rival took over meanwhile.
            session.execute(delete(Lock).where(Lock.name == name, Lock.pid == row.pid,
                                               Lock.acquired_at == row.acquired_at))
    raise Busy(holder_of(factory, name) or Holder(name, "unknown", None, clock()))


def release(factory: sessionmaker[Session], name: str, pid: int | None = None) -> None:
    pid = os.getpid() if pid is None else pid
    with transaction(factory) as session:
        session.execute(delete(Lock).where(Lock.name == name, Lock.pid == pid))


@contextmanager
def hold(factory: sessionmaker[Session], name: str, what: str, *, wait: bool = False,
         timeout: float | None = None, stop: threading.Event | None = None, poll: float = 0.5,
         on_wait: Callable[[Holder], None] | None = None) -> Iterator[None]:
    """Hold lock ``name`` for the block.

    ``wait=False`` raises :class:`Busy` at once; ``wait=True`` polls until the holder is done,
    calling ``on_wait`` once, and raises :class:`Cancelled` when ``stop`` is set or ``timeout``
    seconds pass.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while True:
        try:
            try_acquire(factory, name, what)
            break
        except Busy as busy:
            if not wait:
                raise
            if not told and on_wait:
                on_wait(busy.holder)
            told = True
            if deadline is not None and time.monotonic() >= deadline:
                raise Cancelled(f"gave up waiting for the {name} lock after {timeout:g} s") from busy
            if stop is None:
                time.sleep(poll)
            elif stop.wait(poll):
                raise Cancelled(f"stopped while waiting for the {name} lock") from busy
    try:
        yield
    finally:
        release(factory, name)


def locks(factory: sessionmaker[Session]) -> list[Holder]:
    with factory() as session:
        return [Holder(r.name, r.holder, r.pid, r.acquired_at) for r in session.scalars(select(Lock))]
