"""Feeds as feedparser reads them: every feed valid, one entry per event with a GUID that
never changes, Berlin pubDates, categories, facts and sources, updates marked, size bounded,
and failing sources announced in the status feed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from monitor_env import Env, demo_env
from sqlalchemy import select

from monitor.demoweb import Entry
from monitor.feeds import DEFAULT_BASE_URL, FeedConfig, feed_specs, write_feeds
from storage.db import open_db
from storage.models import Event, Release

MUELHEIM = "muelheim-an-der-ruhr"
NEW_PARAGRAPH = "Die Staatssekretärin kündigte zusätzlich eine Förderung von Sprachkursen für Eltern an."


@dataclass
class Feeds:
    env: Env
    snapshots: dict[str, Path] = field(default_factory=dict)  # moment -> copy of the feeds dir

    def parse(self, moment: str, name: str) -> feedparser.FeedParserDict:
        parsed = feedparser.parse((self.snapshots[moment] / name).read_bytes())
        assert parsed.bozo == 0, (moment, name, parsed.get("bozo_exception"))
        return parsed

    def snap(self, moment: str) -> None:
        self.snapshots[moment] = shutil.copytree(self.env.feeds, self.env.root / f"feeds-{moment}")


@pytest.fixture(scope="module")
def feeds(tmp_path_factory) -> Feeds:
    """first: one run. updated: the Mülheim visit edited and reported again by the state portal.
    failing: Aachen down for two runs (threshold 2). recovered: Aachen back."""
    with demo_env(tmp_path_factory.mktemp("feeds")) as env, pytest.MonkeyPatch.context() as mp:
        mp.setenv("KI_MONITOR_HEALTH_THRESHOLD", "2")
        f = Feeds(env)
        env.run()
        f.snap("first")
        site = env.web[MUELHEIM]
        seed = site.entry("seed000")
        site.edit("seed000", [*seed.paragraphs[:2], NEW_PARAGRAPH, *seed.paragraphs[3:]])
        env.web["land-nrw"].publish(Entry("seed000-land", seed.title, list(seed.paragraphs), seed.published,
                                          seed.modified, numeric_id=100777))
        env.run(walk="full")  # an edit deep in the list shows on the full walk
        f.snap("updated")
        aachen = env.web["aachen"]
        aachen.failures[aachen.start_path] = 503
        env.run()
        env.run()
        f.snap("failing")
        aachen.failures.clear()
        env.run()
        f.snap("recovered")
        yield f


def _events(env: Env) -> list[Event]:
    with open_db(str(env.db))() as s:
        events = list(s.scalars(select(Event)))
        for e in events:
            _ = [r.url for r in e.releases]
        return events


def test_every_feed_of_every_kind_parses_without_error(feeds: Feeds):
    slugs = {s.slug for s in feed_specs()}
    assert {"ki-news", "besuche", "foerderung", "status", "ki-koeln", "rb-duesseldorf"} <= slugs
    assert len([s for s in slugs if s.startswith("ki-") and s != "ki-news"]) == 54
    assert len([s for s in slugs if s.startswith("rb-")]) == 5
    for slug in slugs:
        rss, atom = feeds.parse("updated", f"{slug}.xml"), feeds.parse("updated", f"{slug}.atom")
        assert rss.version == "rss20" and atom.version == "atom10"
        assert [e.id for e in rss.entries] == [e.id for e in atom.entries]


def test_main_feed_has_one_entry_per_event_with_its_guid_and_berlin_publication_day(feeds: Feeds):
    parsed = feeds.parse("updated", "ki-news.xml")
    with open_db(str(feeds.env.db))() as s:
        events = {e.guid: e for e in s.scalars(select(Event))}
    assert sorted(e.id for e in parsed.entries) == sorted(events)
    for entry in parsed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.guidislink is False
        day = parsedate_to_datetime(entry.published)
        assert day.date() == events[entry.id].published
        assert (day.hour, day.minute) == (0, 0) and entry.published.endswith(("+0100", "+0200"))
    days = [parsedate_to_datetime(e.published) for e in parsed.entries]
    assert days == sorted(days, reverse=True)  # newest first


def test_visits_and_funding_feeds_split_by_kind_with_categories(feeds: Feeds):
    visits, funding = feeds.parse("updated", "besuche.xml"), feeds.parse("updated", "foerderung.xml")
    assert visits.entries and funding.entries
    assert all(e.tags[0].term == "Besuch" for e in visits.entries)
    assert all(e.tags[0].term == "Förderung" for e in funding.entries)
    koeln = feeds.parse("updated", "ki-koeln.xml")
    assert koeln.entries and all("Köln" in [t.term for t in e.tags] for e in koeln.entries)
    main = {e.id for e in feeds.parse("updated", "ki-news.xml").entries}
    assert {e.id for e in visits.entries} | {e.id for e in funding.entries} == main


def test_the_same_visit_from_two_sites_is_one_entry_linking_both_sources(feeds: Feeds):
    muelheim = feeds.parse("updated", f"ki-{MUELHEIM}.xml")
    site, land = feeds.env.web[MUELHEIM], feeds.env.web["land-nrw"]
    urls = {site.article_url(site.entry("seed000")), land.article_url(land.entry("seed000-land"))}
    entries = [e for e in muelheim.entries if e.title.startswith(site.entry("seed000").title)]
    assert len(entries) == 1
    html = entries[0].description
    assert all(f'href="{u}"' in html for u in urls)
    assert "Besuch von:</b> Serap Güler" in html and "Quellen:" in html and "Belege:" in html
    assert "Mülheim an der Ruhr" in [t.term for t in entries[0].tags]


def test_funding_entries_state_the_amount(feeds: Feeds):
    funding = feeds.parse("updated", "foerderung.xml")
    assert any("<b>Betrag:</b> 432.800.000 €" in e.description for e in funding.entries)


def test_an_updated_release_keeps_its_guid_and_shows_the_mark_and_the_change(feeds: Feeds):
    title = feeds.env.web[MUELHEIM].entry("seed000").title
    before = {e.title: e for e in feeds.parse("first", "ki-news.atom").entries}[title]
    after = [e for e in feeds.parse("updated", "ki-news.atom").entries if e.id == before.id]
    assert len(after) == 1
    entry = after[0]
    assert entry.title == f"{title} (aktualisiert)"
    assert entry.published == before.published  # the release date, not the edit
    assert entry.updated_parsed > before.updated_parsed
    html = entry.content[0].value
    assert "Aktualisiert:" in html and f"+{NEW_PARAGRAPH}" in html


def test_the_update_mark_can_be_switched_off(feeds: Feeds, tmp_path: Path):
    with open_db(str(feeds.env.db))() as s:
        write_feeds(s, tmp_path, DEFAULT_BASE_URL, FeedConfig(show_updates=False))
    parsed = feedparser.parse((tmp_path / "ki-news.xml").read_bytes())
    assert parsed.bozo == 0 and parsed.entries
    assert not any("aktualisiert" in e.title or "Aktualisiert:" in e.description for e in parsed.entries)


def test_feed_size_is_bounded_by_entry_count_and_by_days(feeds: Feeds, tmp_path: Path):
    with open_db(str(feeds.env.db))() as s:
        write_feeds(s, tmp_path / "n", DEFAULT_BASE_URL, FeedConfig(max_entries=3))
        write_feeds(s, tmp_path / "d", DEFAULT_BASE_URL, FeedConfig(max_days=800),
                    clock=lambda: datetime(2019, 6, 1, tzinfo=UTC))
    full = feeds.parse("updated", "ki-news.xml").entries
    newest = feedparser.parse((tmp_path / "n" / "ki-news.xml").read_bytes()).entries
    assert [e.id for e in newest] == [e.id for e in full[:3]]
    recent = feedparser.parse((tmp_path / "d" / "ki-news.xml").read_bytes()).entries
    days = [parsedate_to_datetime(e.published).date() for e in recent]
    assert days and min(days) >= date(2017, 3, 23)
    assert len(recent) < len(full)


def test_xml_invalid_characters_in_scraped_text_are_stripped(feeds: Feeds, tmp_path: Path):
    with open_db(str(feeds.env.db))() as s:
        event = s.scalars(select(Event).order_by(Event.id)).first()
        event.title = "Besuch\x00 im\x0c KI\x1b"
        release = s.scalars(select(Release).where(Release.event_id == event.id)).first()
        release.text = "Text mit \x0b Steuerzeichen " + release.text
        s.flush()
        write_feeds(s, tmp_path, DEFAULT_BASE_URL, FeedConfig())
        s.rollback()
    for name in ("ki-news.xml", "ki-news.atom"):
        parsed = feedparser.parse((tmp_path / name).read_bytes())
        assert parsed.bozo == 0
        assert "Besuch im KI" in [e.title for e in parsed.entries]


def test_rebuilding_unchanged_data_writes_identical_bytes(feeds: Feeds, tmp_path: Path):
    shutil.copytree(feeds.snapshots["recovered"], tmp_path / "again")
    with open_db(str(feeds.env.db))() as s:
        write_feeds(s, tmp_path / "again", DEFAULT_BASE_URL, FeedConfig(health_threshold=2))
    for path in feeds.snapshots["recovered"].iterdir():
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_source_failing_several_runs_is_announced_with_a_stable_guid(feeds: Feeds):
    failing = feeds.parse("failing", "status.xml").entries
    assert feeds.parse("updated", "status.xml").entries == []
    assert len(failing) == 1
    entry = failing[0]
    assert entry.title.startswith("Quelle gestört: Stadt Aachen") and "2 Läufe" in entry.title
    assert "503" in entry.description and [t.term for t in entry.tags][0] == "Quellenstatus"
    assert entry.id in {e.id for e in feeds.parse("failing", "ki-news.xml").entries}
    assert entry.id not in {e.id for e in feeds.parse("failing", "ki-aachen.xml").entries}
    recovered = feeds.parse("recovered", "status.atom").entries
    assert [e.id for e in recovered] == [entry.id]
    assert recovered[0].title.startswith("Wieder in Ordnung: Stadt Aachen")
