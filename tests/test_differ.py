"""The differ over real crawls: new, updated (material text changes only, with the diff),
removed (410, gone from a fully walked listing), and nothing twice."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from monitor_env import Env, demo_env
from sqlalchemy import func, select

from monitor.differ import Differ, change_note, material_change
from monitor.runner import RunSummary
from storage.db import open_db, transaction
from storage.models import Change, Event, Release

MUELHEIM = "muelheim-an-der-ruhr"
NEW_PARAGRAPH = "Die Staatssekretärin kündigte zusätzlich eine Förderung von Sprachkursen für Eltern an."

TEXT = "Minister besucht KI\nDer Minister besuchte am Montag das Kommunale Integrationszentrum.\nStand: 01.02.2024"


def test_a_changed_footer_date_is_not_material():
    assert not material_change(TEXT, TEXT.replace("01.02.2024", "17.11.2025"))


def test_a_cookie_banner_or_print_bar_appearing_is_not_material():
    noisy = TEXT + "\nDiese Website verwendet Cookies. Alle akzeptieren\nSeite drucken\nSeite 1 von 2"
    assert not material_change(TEXT, noisy)


def test_a_reworded_sentence_is_material_and_noted_in_its_own_words():
    edited = TEXT.replace("am Montag das", "am Montag gemeinsam mit der Bürgermeisterin das")
    assert material_change(TEXT, edited)
    note = change_note(TEXT, edited)
    assert "neu: „Der Minister besuchte am Montag gemeinsam mit der Bürgermeisterin" in note
    assert "entfernt: „Der Minister besuchte am Montag das" in note


def test_a_two_word_typo_fix_stays_below_the_threshold():
    assert not material_change(TEXT, TEXT.replace("besuchte", "besucht"), min_words=3)
    assert material_change(TEXT, TEXT.replace("besuchte", "besucht"), min_words=1)


@dataclass
class History:
    env: Env
    runs: list[RunSummary] = field(default_factory=list)
    guid_before: str = ""
    removed_urls: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def history(tmp_path_factory, storage) -> History:
    """Run 1; edit one release materially and one by a date; run 2 (full walk); run 3 unchanged;
    remove one from a listing and answer 410 for another; run 4, a full walk."""
    with demo_env(tmp_path_factory.mktemp("differ"), storage.new()) as env:
        h = History(env)
        h.runs.append(env.run())
        site = env.web[MUELHEIM]
        seed = site.entry("seed000")
        with open_db(str(env.db))() as s:
            h.guid_before = s.scalar(select(Release).where(Release.url == site.article_url(seed))).event.guid
        site.edit("seed000", [*seed.paragraphs[:2], NEW_PARAGRAPH, *seed.paragraphs[3:]])
        archive = site.entry("d006")
        site.edit("d006", [archive.paragraphs[0].replace("10.04.2015", "11.04.2015"), *archive.paragraphs[1:]])
        h.runs.append(env.run(walk="full"))  # edits deep in a list show on a full walk
        h.runs.append(env.run())
        gone = site.entry("d015")
        h.removed_urls.add(site.article_url(gone))
        site.remove("d015")
        land = env.web["land-nrw"]
        withdrawn = land.entry("d032")
        land.failures[land.family.article_path(withdrawn)] = 410
        h.removed_urls.add(land.article_url(withdrawn))
        h.runs.append(env.run(walk="full"))  # removals deep in a list show on a full walk
        yield h


def test_first_run_finds_every_release_new_and_nothing_else(history: History):
    first = history.runs[0]
    expected = sum(len(site.entries) for site in history.env.web.sites.values()) + 1  # d015 removed later
    assert first.status == "ok"
    assert len(first.diff.new) == expected
    assert first.diff.updated == first.diff.removed == []


def test_a_material_edit_yields_exactly_one_update_with_its_diff(history: History):
    second = history.runs[1]
    assert second.diff.new == second.diff.removed == []
    assert len(second.diff.updated) == 1  # the date-only edit of d006 is not an update
    with open_db(str(history.env.db))() as s:
        release = s.get(Release, second.diff.updated[0])
        change = s.scalar(select(Change).where(Change.kind == "updated"))
        assert release.url == history.env.web[MUELHEIM].article_url(history.env.web[MUELHEIM].entry("seed000"))
        assert f"+{NEW_PARAGRAPH}" in change.diff.splitlines()
        assert any(line.startswith("-Sozialdezernent Ulrich Ernst (rechts)") for line in change.diff.splitlines())
        assert change.run_id == second.run_id
        assert release.event.guid == history.guid_before  # same event, same GUID
        assert release.event.updated_at is not None
        assert NEW_PARAGRAPH[:40] in release.event.update_note
        assert [rs.updated for rs in second.sources if rs.source_id == MUELHEIM] == [1]


def test_a_rerun_over_unchanged_sites_records_nothing(history: History):
    third = history.runs[2]
    assert third.diff.count() == {"new": 0, "updated": 0, "removed": 0}
    with open_db(str(history.env.db))() as s:
        assert s.scalar(select(func.count()).select_from(Change).where(Change.run_id == third.run_id)) == 0


def test_releases_gone_from_a_walked_listing_or_answering_410_are_removed_once(history: History):
    fourth = history.runs[3]
    assert fourth.diff.new == fourth.diff.updated == []
    with open_db(str(history.env.db))() as s:
        removed = {s.get(Release, i).url: s.get(Release, i) for i in fourth.diff.removed}
        reasons = {c.diff for c in s.scalars(select(Change).where(Change.kind == "removed"))}
        assert set(removed) == history.removed_urls
        assert all(r.removed_at is not None for r in removed.values())
        assert reasons == {"no longer listed", "HTTP 410"}
        assert s.scalar(select(func.count()).select_from(Change).where(Change.kind == "removed")) == 2


def test_diffing_again_over_the_stored_state_changes_nothing(history: History):
    with transaction(open_db(str(history.env.db))) as s:
        before = s.scalar(select(func.count()).select_from(Change))
        result = Differ(s).run(history.runs[-1].run_id)
        assert result.count() == {"new": 0, "updated": 0, "removed": 0}
        assert s.scalar(select(func.count()).select_from(Change)) == before
        assert s.scalar(select(func.count()).select_from(Event)) > 0
