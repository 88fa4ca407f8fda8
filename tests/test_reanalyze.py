"""``ki-monitor reanalyze`` on a real store: after the rules change, labels follow, events and
feed entries keep their GUIDs and dates, and no old release is announced as new.

The store comes from a real crawl of the demo web on 127.0.0.1 (``run_job``); the rules change
is simulated by a new ``ANALYSIS_VERSION`` and, where labels must change, by an ``analyze``
that judges chosen releases differently (as a lexicon edit would).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

import monitor.analysis
import monitor.understand
from monitor.analysis import Analysis, Document
from monitor.cli import main
from storage.db import open_db
from storage.models import Change, Event, Release

NEW_VERSION = "2099.1-test"


@dataclasses.dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    published: str  # the RSS pubDate as written
    link: str


def feed_entries(feeds: Path) -> dict[str, dict[str, Entry]]:
    """Every RSS feed file -> {guid: entry}."""
    out = {}
    for path in sorted(feeds.glob("*.xml")):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        out[path.name] = {e.id: Entry(e.id, e.title, e.published, e.link) for e in parsed.entries}
    return out


def store(db_path: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    """url -> (label, analysis version, event GUID) for every stored release."""
    with open_db(str(db_path))() as session:
        rows = session.execute(
            select(Release.url, Release.label, Release.analysis_version, Event.guid).outerjoin(
                Event, Release.event_id == Event.id
            )
        )
        return {url: (label, version, guid) for url, label, version, guid in rows}


def change_counts(db_path: Path) -> dict[str, int]:
    with open_db(str(db_path))() as session:
        rows = session.execute(select(Change.kind, func.count()).group_by(Change.kind))
        return dict(rows.all())


def reanalyze(db_path: Path, feeds: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        main, ["reanalyze", "--db", str(db_path), "--feeds-dir", str(feeds), *extra]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture
def crawled(run_job, db_path: Path, tmp_path: Path) -> Path:
    summary = run_job()
    assert summary.status == "ok"
    feeds = tmp_path / "feeds"
    assert (feeds / "ki-news.xml").exists()
    return feeds


@pytest.fixture
def new_rules(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], None]:
    """Bump the analysis version; ``relabel({url: label})`` makes the new rules judge those
    releases differently (everything else as before)."""
    monkeypatch.setattr(monitor.analysis, "ANALYSIS_VERSION", NEW_VERSION)
    monkeypatch.setattr(monitor.understand, "ANALYSIS_VERSION", NEW_VERSION)
    real = monitor.understand.analyze

    def relabel(labels: dict[str, str]) -> None:
        def analyze(doc: Document) -> Analysis:
            result = real(doc)
            if doc.url in labels:
                result = dataclasses.replace(result, label=labels[doc.url])
            return result

        monkeypatch.setattr(monitor.understand, "analyze", analyze)

    return relabel


def test_version_bump_reanalyses_every_release_and_leaves_events_and_feeds_alone(
    crawled: Path, db_path: Path, new_rules
) -> None:
    before, entries, changes = store(db_path), feed_entries(crawled), change_counts(db_path)
    assert any(guid for _, _, guid in before.values()), "the demo web should yield events"

    out = reanalyze(db_path, crawled)

    after = store(db_path)
    assert f"analysis {NEW_VERSION}: 0 releases changed" in out
    assert {v for _, v, _ in after.values()} == {NEW_VERSION}
    assert {u: (lab, g) for u, (lab, _, g) in after.items()} == {
        u: (lab, g) for u, (lab, _, g) in before.items()
    }
    assert feed_entries(crawled) == entries
    assert change_counts(db_path) == changes


def test_relabelled_releases_update_while_other_events_keep_guids_and_dates(
    crawled: Path, db_path: Path, new_rules
) -> None:
    before, entries, changes = store(db_path), feed_entries(crawled), change_counts(db_path)
    news = entries["ki-news.xml"]
    # An event the new rules drop (its releases are no longer a visit/funding), and a release
    # they promote to funding that was not in any feed.
    # (Chosen by URL path: the demo servers' ports change from run to run.)
    by_path = sorted(before.items(), key=lambda kv: urlsplit(kv[0]).path)
    dropped_guid = next(g for _, (_, _, g) in by_path if g)
    dropped = {u for u, (_, _, g) in before.items() if g == dropped_guid}
    promoted = next(u for u, (lab, _, g) in by_path if g is None and lab == "other")
    with open_db(str(db_path))() as session:
        promoted_day = session.scalar(select(Release.published).where(Release.url == promoted))
    new_rules({**dict.fromkeys(dropped, "other"), promoted: "funding"})

    reanalyze(db_path, crawled)

    after = store(db_path)
    assert all(after[u][0] == "other" and after[u][2] is None for u in dropped)
    assert after[promoted][0] == "funding" and after[promoted][2] is not None
    # Every other release keeps its label and its event GUID.
    untouched = set(before) - dropped - {promoted}
    assert {u: after[u][::2] for u in untouched} == {u: before[u][::2] for u in untouched}
    # The feeds: the dropped event left, the others are byte-for-byte the same entries.
    now = feed_entries(crawled)
    kept = {g: e for g, e in news.items() if g != dropped_guid}
    assert dropped_guid in news and dropped_guid not in now["ki-news.xml"]
    assert {g: e for g, e in now["ki-news.xml"].items() if g in kept} == kept
    # The promoted release enters with its own publication day, not as today's news.
    added = [e for g, e in now["ki-news.xml"].items() if g not in news]
    assert [e.link for e in added] == [promoted]
    assert promoted_day is not None  # every demo release prints or is given a date
    assert parsedate_to_datetime(added[0].published).date() == promoted_day
    # Re-analysis is not a crawl: no change rows, in particular no "new" one.
    assert change_counts(db_path) == changes


def test_second_reanalyze_with_the_same_rules_changes_nothing(
    crawled: Path, db_path: Path, new_rules
) -> None:
    reanalyze(db_path, crawled)
    snapshot = {p.name: p.read_bytes() for p in crawled.iterdir()}
    out = reanalyze(db_path, crawled)
    assert f"analysis {NEW_VERSION}: 0 releases changed" in out
    assert {p.name: p.read_bytes() for p in crawled.iterdir()} == snapshot
