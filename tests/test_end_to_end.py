"""From a website on 127.0.0.1 to an RSS feed a reader can read, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import func, select

from monitor.demoweb import DemoWeb
from storage.db import open_db
from storage.models import Fetch, Release, Run

# Gold labels of the seed releases the demo web publishes (../shared/corpus/seeds_labelled.json).
SEED_VISITS = {"seed000": date(2018, 3, 16), "seed001": date(2017, 8, 2), "seed002": date(2018, 7, 18),
               "seed004": date(2018, 10, 2)}


def ki_monitor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def db_path(storage) -> str:
    """SQLite and PostgreSQL (conftest's `storage`)."""
    return storage.new()


@pytest.fixture
def first_run(demo_web: DemoWeb, db_path: Path, registry: Path, tmp_path: Path):
    feeds = tmp_path / "feeds"
    result = ki_monitor("run", "--db", str(db_path), "--sources", str(registry), "--feeds-dir", str(feeds))
    assert result.returncode == 0, result.stderr[-2000:]
    return feeds, result


def entries_by_link(feed_file: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse(feed_file.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return {e.link: e for e in parsed.entries}


def test_crawl_stores_every_release_of_the_demo_web(first_run, demo_web: DemoWeb, db_path: Path):
    expected = {site.article_url(e) for site in demo_web.sites.values() for e in site.entries}
    with open_db(str(db_path))() as session:
        stored = set(session.scalars(select(Release.url)))
        run = session.scalars(select(Run)).one()
        pdf = session.scalar(select(Release).where(Release.url.like("%.pdf")))
    assert stored == expected
    assert run.status == "ok"
    assert pdf is not None and pdf.published == date(2018, 7, 18) and "Seite 1 von 2" not in pdf.text


def test_feed_lists_the_seed_visits_with_links_and_dates(first_run, demo_web: DemoWeb):
    feeds, _ = first_run
    entries = entries_by_link(feeds / "ki-news.xml")
    for site in demo_web.sites.values():
        for entry in site.entries:
            if entry.slug in SEED_VISITS:
                item = entries.get(site.article_url(entry))
                assert item is not None, f"{entry.slug} missing from the feed"
                assert item.title.startswith(entry.title)
                # pubDate is the publication day in Europe/Berlin (feedparser's *_parsed is UTC).
                assert parsedate_to_datetime(item.published).date() == SEED_VISITS[entry.slug]
                assert item.published.endswith(("+0100", "+0200"))
                assert item.id.startswith("urn:uuid:")


def test_second_run_over_the_same_web_adds_no_entry(first_run, db_path: Path, registry: Path):
    feeds, _ = first_run
    before = (feeds / "ki-news.xml").read_bytes()
    result = ki_monitor("run", "--db", str(db_path), "--sources", str(registry), "--feeds-dir", str(feeds))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0 new, 0 updated, 0 removed" in result.stdout
    assert (feeds / "ki-news.xml").read_bytes() == before
    with open_db(str(db_path))() as session:
        unchanged = session.scalar(select(func.count()).select_from(Fetch).where(Fetch.not_modified.is_(True)))
    assert unchanged > 0  # the second run revalidated instead of downloading again
