"""The crawl child dies with its parent, even when the parent is killed with SIGKILL
(issue 12, point 4): a crawl outliving ``ki-monitor run`` would keep writing to the database
and hold sockets, with nobody left to stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from faultweb import hang, start_fault_web
from faultweb.web import fault_site

ROOT = Path(__file__).resolve().parents[1]

PARENT = """
import sys
from monitor.runner import RunOptions, run_once
opts = RunOptions(db=sys.argv[1], sources=sys.argv[2], feeds_dir=sys.argv[3], step_seconds=0,
                  settings={"AUTOTHROTTLE_START_DELAY": "0", "DOWNLOAD_TIMEOUT": "30", "RETRY_TIMES": "0"})
run_once(opts, on_start=lambda proc: print(proc.pid, flush=True))
"""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie is gone too: it is only waiting for a parent to read its exit status.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def _stop(pid: int) -> None:
    if not _gone(pid):
        os.kill(pid, signal.SIGKILL)


def test_the_crawl_child_is_gone_within_a_second_of_its_parent_being_killed(tmp_path):
    site = fault_site("slow")
    with start_fault_web([site]) as web:
        for entry in site.entries:
            web.fault("slow", site.family.article_path(entry), hang(20))
        registry = tmp_path / "sources.toml"
        registry.write_text(web.registry(), "utf-8")
        parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path / "ki.db"), str(registry),
                                   str(tmp_path / "feeds")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        child = int(parent.stdout.readline())
        try:
            deadline = time.monotonic() + 30
            while not any(status == 0 for _, status in site.hits):  # the crawl is on a hanging page
                assert time.monotonic() < deadline and parent.poll() is None
                time.sleep(0.05)
            assert not _gone(child)
            parent.kill()
            parent.wait()
            killed = time.monotonic()
            while not _gone(child) and time.monotonic() - killed < 5:
                time.sleep(0.02)
            assert _gone(child), "the crawl outlived its killed parent"
            assert time.monotonic() - killed < 1.0
        finally:
            _stop(child)


def test_a_log_file_on_a_full_disk_drops_records_without_tracebacks(tmp_path, capsys) -> None:
    import logging

    from monitor.process import setup_logging

    handler = setup_logging(str(tmp_path / "run.log"), logging.INFO)
    own = handler.stream
    full = open("/dev/full", "w", buffering=1)  # noqa: SIM115 - every write there fails with ENOSPC
    try:
        handler.stream = full
        logging.getLogger("ki_monitor.test").warning("a line the full disk cannot take")
        assert "Logging error" not in capsys.readouterr().err
    finally:
        handler.stream = own
        logging.getLogger().removeHandler(handler)
        handler.close()
        with contextlib.suppress(OSError):  # its buffer cannot be flushed either
            full.close()
