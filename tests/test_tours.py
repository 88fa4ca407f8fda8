"""Tours are found in the events: one person's visits at several KIs at most a week apart, in
order, with every source; the tour page lists the stops and draws the route."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pictures_support import LATER_VISIT, TOUR_STOPS, TOURIST, Writer, Year, generate_year
from review_support import Client, serve
from sqlalchemy import select

from monitor.web.happenings import happenings
from monitor.web.tours import find_tours
from storage.db import open_db
from storage.models import Release

GUELER = "Serap Güler (Staatssekretärin)"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return generate_year(tmp_path_factory.mktemp("tours") / "ki.db")


def tours_in(db: Path):
    with open_db(str(db))() as s:
        return find_tours(happenings(s))


def visits(tmp_path: Path, *stops: tuple[date, str, list[str]]) -> Path:
    db = tmp_path / "ki.db"
    with open_db(str(db))() as s:
        w = Writer(s, Year(db))
        for day, ki, who in stops:
            w.event("visit", day, [ki], visitors=who)
        s.commit()
    return db


def test_the_planted_tour_is_found_with_its_stops_in_order(year: Year):
    tours = tours_in(year.db)
    assert len(tours) == 1  # the others never visit twice within a week
    tour = tours[0]
    assert tour.person == "Josefine Paul" and tour.roles == (TOURIST,)
    assert [(s.day, s.kis) for s in tour.stops] == [(day, (ki,)) for day, ki in TOUR_STOPS]
    assert LATER_VISIT[1] not in tour.kis  # six weeks later: not part of the tour
    assert tour.slug == "josefine-paul-2025-07-07"


def test_a_gap_of_more_than_a_week_ends_a_tour(tmp_path: Path):
    db = visits(tmp_path, (date(2025, 5, 1), "Köln", [GUELER]), (date(2025, 5, 9), "Bonn", [GUELER]))
    assert tours_in(db) == []


def test_a_week_apart_is_still_one_tour(tmp_path: Path):
    db = visits(tmp_path, (date(2025, 5, 1), "Köln", [GUELER]), (date(2025, 5, 8), "Bonn", [GUELER]))
    assert [t.kis for t in tours_in(db)] == [["Köln", "Bonn"]]


def test_visits_at_one_ki_or_by_different_people_are_no_tour(tmp_path: Path):
    db = visits(tmp_path, (date(2025, 5, 1), "Köln", [GUELER]), (date(2025, 5, 2), "Köln", [GUELER]),
                (date(2025, 5, 3), "Bonn", ["Lorenz Bahr (Staatssekretär)"]))
    assert tours_in(db) == []


def test_the_same_person_under_two_roles_is_one_traveller(tmp_path: Path):
    db = visits(tmp_path, (date(2025, 5, 1), "Köln", ["Serap Güler (Staatssekretärin)"]),
                (date(2025, 5, 2), "Bonn", ["Serap Güler (Integrationsstaatssekretärin)"]))
    [tour] = tours_in(db)
    assert tour.person == "Serap Güler" and len(tour.roles) == 2 and tour.kis == ["Köln", "Bonn"]


def test_the_tour_page_lists_the_stops_every_source_and_draws_the_route(year: Year, tmp_path: Path):
    with serve(year.db, tmp_path / "feeds") as base:
        client = Client(base)
        index = client.get("/tours").text
        assert 'href="/tour/josefine-paul-2025-07-07"' in index
        assert "Kreis Borken → Münster → Kreis Warendorf → Bielefeld" in index
        page = client.get("/tour/josefine-paul-2025-07-07")
        missing = client.get("/tour/niemand-2025-01-01")
    assert page.status == 200 and missing.status == 404
    html = page.text
    stops = re.findall(r'<li class="stop" data-event="(\d+)">', html)
    assert [int(s) for s in stops] == year.tour_event_ids
    with open_db(str(year.db))() as s:
        sources = s.execute(select(Release.id, Release.url).where(Release.event_id.in_(year.tour_event_ids))).all()
    assert len(sources) == 8  # two sources per stop, each linked to its review page and the original
    for release_id, url in sources:
        assert f'href="/release/{release_id}"' in html and f'href="{url}"' in html
    assert html.count('<g class="stop">') == 4 and 'class="route"' in html
    assert re.search(r'class="route" d="M\d+ \d+ L\d+ \d+ L\d+ \d+ L\d+ \d+"', html)


def test_the_pictures_show_an_event_stored_after_they_were_first_drawn(tmp_path: Path):
    db = visits(tmp_path, (date(2025, 5, 1), "Köln", [GUELER]))
    tile = re.compile(r'data-ki="Hamm" data-count="(\d+)"')
    with serve(db, tmp_path / "feeds") as base:
        client = Client(base)
        assert tile.search(client.get("/").text)[1] == "0"
        assert "Noch keine Reise" in client.get("/tours").text
        with open_db(str(db))() as s:  # a run stores a visit while the server keeps running
            Writer(s, Year(db)).event("visit", date(2025, 5, 2), ["Hamm"], visitors=[GUELER])
            s.commit()
        assert tile.search(client.get("/").text)[1] == "1"
        assert "Köln → Hamm" in client.get("/tours").text


def test_one_person_printed_two_ways_is_one_traveller() -> None:
    from monitor.web.tours import same_person_key

    assert same_person_key("Dr. Joachim Stamp (Minister)") == same_person_key("Joachim Stamp (Minister für Integration)")
    assert same_person_key("Zülfiye Kaykın (Staatssekretärin)") == same_person_key("Zülfiye Kaykin (Staatssekretärin)")
    assert same_person_key("Serap Güler (Staatssekretärin)") != same_person_key("Josefine Paul (Ministerin)")
