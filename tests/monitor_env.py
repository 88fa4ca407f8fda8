"""A demo web with its registry, database and feeds dir that lives for a whole test module.

Real crawls take seconds; tests that only read the result of the same runs share one env.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import feedparser

from monitor.demoweb import DemoWeb, start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.runner import RunOptions, RunSummary, run_once

FAST_CRAWL = {"AUTOTHROTTLE_START_DELAY": "0.01", "AUTOTHROTTLE_MAX_DELAY": "0.5", "RETRY_TIMES": "1"}


@dataclass
class Env:
    web: DemoWeb
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "ki.db"

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    @property
    def registry(self) -> Path:
        return self.root / "sources.toml"

    def options(self, **overrides) -> RunOptions:
        return RunOptions(db=str(self.db), sources=str(self.registry), feeds_dir=self.feeds,
                          settings=dict(FAST_CRAWL), **overrides)

    def run(self, **overrides) -> RunSummary:
        return run_once(self.options(**overrides))

    def parse(self, name: str) -> feedparser.FeedParserDict:
        parsed = feedparser.parse((self.feeds / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        return parsed


@contextmanager
def demo_env(root: Path) -> Iterator[Env]:
    root.mkdir(parents=True, exist_ok=True)
    with start_demo_web(demo_sites()) as web:
        env = Env(web, root)
        env.registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        yield env
