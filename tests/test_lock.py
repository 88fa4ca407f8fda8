"""The run lock: a manual run and a scheduled one never overlap; a dead holder never blocks."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from schedule_support import (
    SLOW_CRAWL,
    config_toml,
    ki_monitor,
    registry_for,
    running_run,
    runs_of,
    start_ki_monitor,
    wait_for,
)

from monitor.clock import aware
from monitor.demoweb import DemoWeb
from monitor.lock import RUN_LOCK, Busy, Cancelled, hold, holder_of, locks, try_acquire
from storage.db import open_db


@pytest.fixture
def factory(db_path: Path):
    return open_db(str(db_path))


def test_a_lock_held_by_a_live_process_refuses_a_second_holder(factory):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        try_acquire(factory, RUN_LOCK, "scheduled run", pid=sleeper.pid)
        with pytest.raises(Busy) as busy:
            try_acquire(factory, RUN_LOCK, "manual run")
        assert busy.value.holder.pid == sleeper.pid
        assert f"scheduled run on {os.uname().nodename}, pid {sleeper.pid}, since " in str(busy.value)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_lock_left_by_a_dead_process_is_taken_over(factory):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    try_acquire(factory, RUN_LOCK, "killed run", pid=int(dead.stdout))
    with hold(factory, RUN_LOCK, "manual run"):
        assert holder_of(factory, RUN_LOCK).pid == os.getpid()
    assert locks(factory) == []  # released on leaving the block


def test_a_waiting_holder_gives_up_when_asked_to_stop(factory):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop = threading.Event()
    seen = []
    try:
        try_acquire(factory, RUN_LOCK, "scheduled run", pid=sleeper.pid)
        threading.Timer(0.5, stop.set).start()
        with pytest.raises(Cancelled), hold(factory, RUN_LOCK, "manual run", wait=True, stop=stop, poll=0.1,
                                            on_wait=seen.append):
            pytest.fail("must not get the lock")
        assert [h.pid for h in seen] == [sleeper.pid]  # told once whom it waited for
        assert holder_of(factory, RUN_LOCK).pid == sleeper.pid  # the holder's lock is untouched
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_manual_run_during_a_scheduled_one_waits_or_exits_with_a_clear_message(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    registry = registry_for(tmp_path / "sources.toml", [demo_web["aachen"], demo_web["stk-nrw"]])
    open_db(str(db_path))  # migrated before two processes open it
    config = config_toml(tmp_path / "ki-monitor.toml",
                         run={"db": str(db_path), "sources": str(registry), "feeds_dir": str(tmp_path / "feeds")},
                         settings=SLOW_CRAWL)
    scheduled = start_ki_monitor("schedule", "--once", "--config", str(config))
    try:
        first = wait_for(lambda: running_run(db_path), what="the scheduled run to start")
        manual = ["run", "--db", str(db_path), "--sources", str(registry), "--feeds-dir", str(tmp_path / "feeds"),
                  "--set", "AUTOTHROTTLE_START_DELAY=0.01"]

        refused = ki_monitor(*manual, "--no-wait")
        assert refused.returncode == 75, refused.stderr
        assert "another run is in progress (timer run on" in refused.stderr
        assert "try again later, or pass --wait" in refused.stderr
        assert running_run(db_path).id == first.id  # the refused run started nothing

        waited = ki_monitor(*manual)  # --wait is the default
        assert waited.returncode == 0, waited.stderr
        assert "Another run is in progress" in waited.stdout
    finally:
        out, err = scheduled.communicate(timeout=120)
    assert scheduled.returncode == 0, err
    timer, manual_run = runs_of(db_path)
    assert (timer.trigger, timer.status, manual_run.trigger, manual_run.status) == ("timer", "ok", "manual", "ok")
    assert aware(manual_run.started_at) >= aware(timer.finished_at)
