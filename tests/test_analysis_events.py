"""One event, many sources - but shared ministry template text never merges different visits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from monitor.analysis import Analysis, Document, analyze
from monitor.analysis.events import event_key, event_keys_around, same_event

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _visit(
    ki: str, day: dt.date | None, event: dt.date | None = None, who: str = "Serap Güler"
) -> Analysis:
    return Analysis("visit", [ki], [f"{who} (Staatssekretärin)"], [], day, event, [])


def _doc(url: str) -> Document:
    return Document(url=url, title="", text="")


def test_same_visit_from_ministry_city_and_newspaper_is_one_event() -> None:
    ministry = (_doc("https://www.land.nrw/a"), _visit("Duisburg", dt.date(2018, 7, 18)))
    city = (_doc("https://www.duisburg.de/b"), _visit("Duisburg", dt.date(2018, 7, 19)))
    paper = (
        _doc("https://www.waz.example/c"),
        _visit("Duisburg", dt.date(2018, 7, 24), dt.date(2018, 7, 18)),
    )
    assert same_event(ministry, city)
    assert same_event(city, paper)
    assert same_event(ministry, paper)


def test_same_tour_different_kis_are_different_events() -> None:
    a = (_doc("https://a"), _visit("Mülheim an der Ruhr", dt.date(2018, 3, 16)))
    b = (_doc("https://b"), _visit("Duisburg", dt.date(2018, 3, 16)))
    assert not same_event(a, b)


def test_same_ki_visited_again_months_later_is_a_new_event() -> None:
    a = (_doc("https://a"), _visit("Köln", dt.date(2018, 10, 2)))
    b = (_doc("https://b"), _visit("Köln", dt.date(2019, 8, 14)))
    assert not same_event(a, b)


def test_different_visitors_same_ki_same_week_are_different_events() -> None:
    a = (_doc("https://a"), _visit("Köln", dt.date(2018, 10, 2), who="Serap Güler"))
    b = (_doc("https://b"), _visit("Köln", dt.date(2018, 10, 4), who="Joachim Stamp"))
    assert not same_event(a, b)


def test_event_key_is_stable_and_neighbouring_weeks_are_offered() -> None:
    d, a = _doc("https://a"), _visit("Köln", dt.date(2018, 10, 2))
    assert event_key(d, a) == event_key(d, a) == "visit|Köln|güler|2018-W40"
    assert event_key(d, a) in event_keys_around(d, a)
    assert len(event_keys_around(d, a)) == 3


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
def test_seeds_000_and_002_share_template_paragraphs_but_not_the_event() -> None:
    texts = {p.name[:3]: p.read_text("utf-8") for p in SEEDS.glob("*.txt")}
    docs = [Document(url=f"https://seed/{k}", title="", text=texts[k]) for k in ("000", "002")]
    a, b = (analyze(d) for d in docs)
    assert a.label == b.label == "visit"
    assert not same_event((docs[0], a), (docs[1], b))
    assert event_key(docs[0], a) != event_key(docs[1], b)
