"""Discovery on the big test web (``tests/bigweb``: ten CMS families, 15-year archives, written
from how real sites behave, not from the discovery code), crawled from start URLs alone by the
real ``ki-monitor run``:

- release recall ≥ 0.99 and no non-release page (tag, topic, listing, another office's
  release) stored as a release, each release once, with the date the press office printed and
  its own text (the marker sentence only this release holds, no sidebar);
- a rerun over the unchanged web downloads no release again and costs a fraction of the first;
- two new releases are found by the daily run that follows.

The fast variant runs at 15 % of the web; the slow one on the whole web (~3 200 releases).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers_crawl import FAST_CRAWL
from sqlalchemy import select

from scrapers.discovery.urls import canonical_url
from storage.db import open_db
from storage.models import Release, RunSource
from tests.bigweb import BigWeb, LiveWeb, SiteTruth

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Crawled:
    live: LiveWeb
    db: Path
    registry: Path
    first_requests: dict[str, int] = field(default_factory=dict)

    def run(self, *args: str) -> None:
        sets = [a for k, v in FAST_CRAWL.items() for a in ("--set", f"{k}={v}")]
        proc = subprocess.run([sys.executable, "-m", "monitor.cli", "run", "--db", str(self.db), "--sources",
                               str(self.registry), "--feeds-dir", str(self.db.parent / "feeds"), "--no-progress",
                               *sets, *args], cwd=ROOT, capture_output=True, text=True, timeout=1500)
        assert proc.returncode == 0, proc.stderr[-3000:]

    def releases(self, slug: str) -> dict[str, Release]:
        with open_db(str(self.db))() as session:
            return {canonical_url(r.url): r for r in session.scalars(select(Release).where(Release.source_id == slug))}

    def last_run(self, slug: str) -> RunSource:
        with open_db(str(self.db))() as session:
            return session.scalars(select(RunSource).where(RunSource.source_id == slug)
                                   .order_by(RunSource.run_id.desc())).first()


def matched(site: SiteTruth, stored: dict[str, Release]) -> dict[str, list[Release]]:
    """Truth release id → the stored releases under its canonical URL or one of its aliases."""
    out = {}
    for truth in site.releases:
        urls = {canonical_url(u) for u in (truth.canonical_url, *truth.aliases)}
        out[truth.id] = list({id(r): r for u in urls if (r := stored.get(u))}.values())
    return out


def crawl_web(tmp: Path, scale: float) -> Iterator[Crawled]:
    with BigWeb(seed=1, scale=scale).serve() as live:
        crawled = Crawled(live, tmp / "bigweb.db", live.write_sources(tmp / "sources.toml"))
        crawled.run()
        crawled.first_requests = {s.slug: len(live.requests(s.slug)) for s in live.sites}
        yield crawled


@pytest.fixture(scope="module")
def small_web(tmp_path_factory) -> Iterator[Crawled]:
    yield from crawl_web(tmp_path_factory.mktemp("bigweb-small"), 0.15)


@pytest.fixture(scope="module")
def whole_web(tmp_path_factory) -> Iterator[Crawled]:
    yield from crawl_web(tmp_path_factory.mktemp("bigweb-whole"), 1.0)


def check_first_run(crawled: Crawled) -> None:
    found = expected = 0
    problems: dict[str, list] = {}
    for site in crawled.live.sites:
        stored = crawled.releases(site.slug)
        hits = matched(site, stored)
        wanted = [t for t in site.releases if not t.broken]  # a truncated upload fails alone
        found += sum(1 for t in wanted if hits[t.id])
        expected += len(wanted)
        truth_urls = {canonical_url(u) for t in site.releases for u in (t.canonical_url, *t.aliases)}
        not_releases = [u for u in stored if u not in truth_urls]
        twice = [t.id for t in site.releases if len(hits[t.id]) > 1]
        wrong_dates = [(t.id, str(hits[t.id][0].published), str(t.published)) for t in wanted
                       if hits[t.id] and t.published and hits[t.id][0].published != t.published]
        foreign_text = [t.id for t in wanted if hits[t.id] and t.marker not in (hits[t.id][0].text or "")]
        missed = [t.canonical_url for t in wanted if not hits[t.id]]
        if not_releases or twice or wrong_dates or foreign_text or len(missed) > 0.01 * len(wanted):
            problems[site.slug] = [not_releases[:3], twice[:3], wrong_dates[:3], foreign_text[:3], missed[:3]]
    assert found / expected >= 0.99, (found, expected, problems)
    assert problems == {}


def check_rerun_downloads_no_release(crawled: Crawled) -> None:
    live = crawled.live
    live.reset_requests()
    crawled.run()
    for site in live.sites:
        release_paths = {canonical_url(u).split("/", 3)[-1] for t in site.releases for u in (t.canonical_url, *t.aliases)}
        downloaded = [p for _, p, status in live.requests(site.slug) if status == 200 and p.lstrip("/") in release_paths]
        assert downloaded == [], (site.slug, downloaded[:3])
        assert crawled.last_run(site.slug).discovery == "daily"
        # A daily run reads the news channels only: a small share of the first run's requests.
        assert len(live.requests(site.slug)) <= max(25, 0.35 * crawled.first_requests[site.slug]), site.slug


def check_new_releases_are_found_daily(crawled: Crawled) -> None:
    live = crawled.live
    added = {s.slug: live.add_releases(s.slug, 2) for s in live.sites}
    crawled.run()
    for slug, new in added.items():
        stored = crawled.releases(slug)
        site = live.site(slug)
        hits = matched(site, stored)
        assert all(hits[t.id] for t in new if not t.broken), (slug, [t.canonical_url for t in new])


def test_a_first_run_finds_every_release_of_a_small_web(small_web: Crawled) -> None:
    check_first_run(small_web)


def test_a_rerun_over_the_unchanged_small_web_downloads_no_release(small_web: Crawled) -> None:
    check_rerun_downloads_no_release(small_web)


def test_new_releases_on_the_small_web_are_found_by_the_daily_run(small_web: Crawled) -> None:
    check_new_releases_are_found_daily(small_web)


@pytest.mark.slow
def test_a_first_run_finds_every_release_of_the_whole_web(whole_web: Crawled) -> None:
    check_first_run(whole_web)


@pytest.mark.slow
def test_a_rerun_over_the_unchanged_whole_web_downloads_no_release(whole_web: Crawled) -> None:
    check_rerun_downloads_no_release(whole_web)


@pytest.mark.slow
def test_new_releases_on_the_whole_web_are_found_by_the_daily_run(whole_web: Crawled) -> None:
    check_new_releases_are_found_daily(whole_web)
