"""Publication dates read from a release's text when no HTML comes with it: labelled dates,
date lines under the title, bylines and URLs win; event dates never do."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.analysis import Document, analyze
from monitor.analysis.pubdate import find, from_url_day_first, without_event_dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kreisverwaltung Musterland\nMeldungsdatum: 14.11.2023\nNeue Sprechzeiten im Kreishaus.",
         D(2023, 11, 14)),
        ("Presseservice\nMeldung vom 07.03.2015\nDer Kreis lädt zum Fachgespräch ein.", D(2015, 3, 7)),
        ("Pressemitteilung Nr. 44/2019 vom 12. Juni 2019\nDas Amt informiert.", D(2019, 6, 12)),
        ("Die Stadt teilt mit.\nDatum 09.10.2016\nDer Ausschuss tagt am 30.10.2016.", D(2016, 10, 9)),
        ("Herausgegeben am 01.12.2020\nText der Meldung folgt hier.", D(2020, 12, 1)),
    ],
)
def test_labelled_dates_are_the_publication_date(text: str, expected: D) -> None:
    assert find(text) == expected


def test_a_date_line_under_the_title_wins_over_dates_in_the_text() -> None:
    text = ("Neue Beratungsstelle im Kreishaus\n"
            "11.05.2021\n"
            "Ab dem 1. Juni 2021 berät das Team jeden Dienstag. Die Eröffnung war am 3. Mai 2021.")  # fmt: skip
    assert find(text, title="Neue Beratungsstelle im Kreishaus") == D(2021, 5, 11)


def test_a_byline_after_the_author_gives_the_date() -> None:
    text = ("Sprachcafé zieht um\nVon Paula Probe, Mittwoch, 3. Mai 2017, 9:12 Uhr\n"
            "Das Sprachcafé öffnet am 15. Mai 2017 in neuen Räumen.")  # fmt: skip
    assert find(text, title="Sprachcafé zieht um") == D(2017, 5, 3)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example-kreis.de/presse/21-09-2022-sprachkurse-starten", D(2022, 9, 21)),
        ("https://www.example-stadt.de/aktuelles/2014/02/27/neue-angebote/", D(2014, 2, 27)),
        ("https://www.example-stadt.de/aktuelles/neue-angebote-99-13-2014/", None),
    ],
)
def test_dates_in_the_url_are_read_day_first_or_year_first(url: str, expected: D | None) -> None:
    assert find("Kurzer Text ohne Datum über die Angebote der Stadt.", url=url) == expected


def test_day_first_url_dates_reject_impossible_days() -> None:
    assert from_url_day_first("https://example.org/31-02-2020-x") is None


def test_event_dates_after_wann_or_zeit_are_not_the_publication_date() -> None:
    text = ("Minister nimmt am Dialogforum teil\nWann:\n14. März 2019\nWo:\nRathaus\n"
            "Zeit: Donnerstag, 14. März 2019, ab 17.00 Uhr\nDas Forum beginnt mit einer Rede.")  # fmt: skip
    assert find(text, title="Minister nimmt am Dialogforum teil") is None
    assert "14. März 2019" not in without_event_dates(text)


def test_stand_counts_only_when_nothing_else_is_printed() -> None:
    assert find("Seite über das Beratungsangebot im Kreis.\nStand: 02.02.2022") == D(2022, 2, 2)
    assert find("Meldung vom 01.01.2022\nBeratungsangebot im Kreis.\nStand: 02.02.2022") == D(2022, 1, 1)


def test_analyze_returns_the_printed_date_when_no_html_is_given() -> None:
    doc = Document(url="https://example.org/presse/meldung", title="Sprachkurse im Kreishaus",
                   text="Sprachkurse im Kreishaus\nMeldungsdatum: 18.08.2020\n"
                        "Am 2. September 2020 beginnen neue Kurse im Kreishaus.")  # fmt: skip
    assert analyze(doc).published == D(2020, 8, 18)


def test_a_release_cited_in_running_text_gives_no_date() -> None:
    text = "In einer Mitteilung vom 12. März 2019 hatte das Amt die neuen Kurse angekündigt."
    assert find(text) is None


def test_a_weekday_date_and_time_inside_a_sentence_is_an_event_not_a_byline() -> None:
    text = ("Sprachcafé öffnet\nDas Café öffnet erstmals am Mittwoch, 3. Mai 2017, um 18:00 Uhr "
            "in der Stadtbibliothek, der Eintritt ist frei.")  # fmt: skip
    assert find(text, title="Sprachcafé öffnet") is None
