"""A demo web with its registry, database and feeds dir that lives for a whole test module.

Real crawls take seconds; tests that only read the result of the same runs share one env.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import feedparser
from helpers_crawl import FAST_CRAWL

from monitor.demoweb import DemoWeb, start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.runner import RunOptions, RunSummary, run_once


@dataclass
class Env:
    web: DemoWeb
    root: Path
    database: str | None = None  # --db of another backend (conftest's `storage`); default a file

    @property
    def db(self) -> Path | str:
        return self.database or self.root / "ki.db"

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    @property
    def registry(self) -> Path:
        return self.root / "sources.toml"

    def options(self, **overrides) -> RunOptions:
        return RunOptions(db=str(self.db), sources=str(self.registry), feeds_dir=self.feeds,
                          settings=dict(FAST_CRAWL), **overrides)

    def run(self, on_start: Callable[[subprocess.Popen], None] | None = None, **overrides) -> RunSummary:
        return run_once(self.options(**overrides), on_start)

    def parse(self, name: str) -> feedparser.FeedParserDict:
        parsed = feedparser.parse((self.feeds / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        return parsed


@contextmanager
def demo_env(root: Path, database: str | None = None) -> Iterator[Env]:
    root.mkdir(parents=True, exist_ok=True)
    with start_demo_web(demo_sites()) as web:
        env = Env(web, root, database)
        env.registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        yield env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db: Path, feeds: Path, *options: str) -> Iterator[str]:
    """``ki-monitor serve`` as a user starts it; yields its base URL, stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "serve", "--db", str(db), "--feeds-dir", str(feeds),
                             "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {proc.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
