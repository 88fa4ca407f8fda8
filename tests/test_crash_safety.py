"""A run killed at any point, then run again, loses nothing and announces nothing twice:
killed crawl subprocess, a crash in the middle of the differ's transaction, and SIGKILL of
``ki-monitor run`` itself (with its crawl)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import feedparser
import pytest
from monitor_env import Env, demo_env
from sqlalchemy import func, select

from monitor.differ import Differ
from storage.db import open_db
from storage.models import Change, Event, Fetch, Release, Run


def feed_signature(env: Env) -> Counter:
    """Entries by title and date: comparable across demo webs on different ports."""
    parsed = feedparser.parse((env.feeds / "ki-news.xml").read_bytes())
    assert parsed.bozo == 0
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids)), "an entry appears twice"
    return Counter((e.title, e.published) for e in parsed.entries)


def fetch_count(db: Path) -> int:
    try:
        with open_db(str(db))() as s:
            return s.scalar(select(func.count()).select_from(Fetch).where(Fetch.kind == "release")) or 0
    except Exception:  # noqa: BLE001 - the database may not exist yet
        return 0


def assert_each_release_announced_once(env: Env) -> None:
    expected = {site.article_url(e) for site in env.web.sites.values() for e in site.entries}
    with open_db(str(env.db))() as s:
        releases = {r.url: r.id for r in s.scalars(select(Release))}
        news = Counter(s.scalars(select(Change.release_id).where(Change.kind == "new")))
        others = s.scalar(select(func.count()).select_from(Change).where(Change.kind != "new"))
        guids = set(s.scalars(select(Event.guid)))
    assert set(releases) == expected
    assert all(news[i] == 1 for i in releases.values()) and sum(news.values()) == len(releases)
    assert others == 0
    parsed = feedparser.parse((env.feeds / "ki-news.xml").read_bytes())
    assert {e.id for e in parsed.entries} == guids


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Counter:
    """The main feed after one undisturbed run."""
    with demo_env(tmp_path_factory.mktemp("reference")) as env:
        assert env.run().status == "ok"
        return feed_signature(env)


def test_a_crawl_killed_midway_then_rerun_yields_each_entry_once(storage, tmp_path: Path, reference: Counter):
    with demo_env(tmp_path / "web", storage.new()) as env:
        killed: list[int] = []

        def on_start(proc: subprocess.Popen) -> None:
            def watch() -> None:
                while proc.poll() is None:
                    if fetch_count(env.db) >= 8:
                        proc.kill()
                        killed.append(proc.wait())
                        return
                    time.sleep(0.02)

            threading.Thread(target=watch, daemon=True).start()

        first = env.run(on_start=on_start)
        assert killed == [-signal.SIGKILL]
        assert first.status != "ok" and 8 <= fetch_count(env.db) < 25
        env.run()
        assert_each_release_announced_once(env)
        assert feed_signature(env) == reference
        assert env.run().diff.count() == {"new": 0, "updated": 0, "removed": 0}


def test_a_crash_inside_the_differ_transaction_leaves_all_fetches_for_the_rerun(
        storage, tmp_path: Path, reference: Counter, monkeypatch: pytest.MonkeyPatch):
    real_apply, calls = Differ.apply, []

    def apply_then_crash(self, fetch):
        calls.append(fetch.id)
        # The first release of the first batch: that batch already marked its listing and feed
        # fetches as diffed, and a later release would race with batches committed beside the crawl.
        if len(calls) == 1:
            raise RuntimeError("power cut")
        return real_apply(self, fetch)

    with demo_env(tmp_path / "web", storage.new()) as env:
        monkeypatch.setattr(Differ, "apply", apply_then_crash)
        with pytest.raises(RuntimeError, match="power cut"):
            env.run()
        monkeypatch.setattr(Differ, "apply", real_apply)
        with open_db(str(env.db))() as s:  # the whole differ transaction was rolled back
            assert s.scalar(select(func.count()).select_from(Change)) == 0
            assert s.scalar(select(func.count()).select_from(Fetch).where(Fetch.diffed.is_(True))) == 0
            assert s.scalar(select(func.count()).select_from(Fetch)) > 20
        env.run()
        assert_each_release_announced_once(env)
        assert feed_signature(env) == reference
        with open_db(str(env.db))() as s:
            assert [r.status for r in s.scalars(select(Run).order_by(Run.id))] == ["interrupted", "ok"]


def descendants(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            out += [child, *descendants(child)]
    return out


def ki_monitor_run(env: Env) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", "run", "--db", str(env.db), "--sources", str(env.registry),
            "--feeds-dir", str(env.feeds)]


def test_sigkill_of_ki_monitor_run_then_rerun_yields_each_entry_once(storage, tmp_path: Path, reference: Counter):
    with demo_env(tmp_path / "web", storage.new()) as env:
        proc = subprocess.Popen(ki_monitor_run(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 60
        while fetch_count(env.db) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be killed"
        for pid in [*reversed(descendants(proc.pid)), proc.pid]:  # as a power cut would: all at once
            os.kill(pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.2)
        assert fetch_count(env.db) < 25
        env.run()  # in-process with the fast crawl settings: the kill is what this test is about
        assert_each_release_announced_once(env)
        assert feed_signature(env) == reference
        assert env.run().diff.count() == {"new": 0, "updated": 0, "removed": 0}
        with open_db(str(env.db))() as s:
            assert [r.status for r in s.scalars(select(Run).order_by(Run.id))] == ["interrupted", "ok", "ok"]
