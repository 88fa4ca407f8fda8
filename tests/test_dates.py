"""Publication dates of German press pages: the printed date line wins, body dates are traps."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.dates import find_published, from_html, parse_german_date, publication_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.03.2018", D(2018, 3, 16)),
        ("2. August 2017", D(2017, 8, 2)),
        ("2. Aug. 2017", D(2017, 8, 2)),
        ("am 5. März 2019 in Köln", D(2019, 3, 5)),
        ("Donnerstag, 05.04.2018, 15:04 Uhr", D(2018, 4, 5)),
        ("2018-03-16T10:00:00+01:00", D(2018, 3, 16)),
        ("16.3.18", D(2018, 3, 16)),
        ("31.02.2018", None),
        ("im August", None),
        ("", None),
    ],
)
def test_parse_german_date_reads_the_common_spellings(text: str, expected: D | None) -> None:
    assert parse_german_date(text) == expected


def test_explicit_date_line_beats_page_edit_stand_footer() -> None:
    text = "Archiv-Beitrag vom 10.04.2015\nHoher Besuch\nText.\nStand: 13.04.2015"
    assert find_published(text) == D(2015, 4, 10)


def test_press_release_number_with_three_digits_does_not_hide_the_date() -> None:
    text = (
        "Pressemitteilung Nr. 123/2017 vom 02.08.2017\nDie Stadt teilt mit ...\nStand: 16.03.2018"
    )
    assert find_published(text) == D(2017, 8, 2)


def test_herausgegeben_am_beats_heute_in_body() -> None:
    text = (
        "Die Ministerin besuchte heute (2. August) das Zentrum.\n\nHerausgegeben am 02.08.2017 von:"
    )
    assert find_published(text) == D(2017, 8, 2)


def test_heute_takes_the_year_from_the_page() -> None:
    text = "Sie besuchte heute (2. August) das KI.\nStand: 03.08.2017"
    assert find_published(text) == D(2017, 8, 2)


def test_heute_with_year_is_the_publication_day() -> None:
    assert find_published("Der Minister besucht heute (4. Oktober 2010) Paderborn.") == D(
        2010, 10, 4
    )


def test_heute_without_any_year_gives_nothing() -> None:
    assert find_published("Heute (08.11.) machte sie ihren Antrittsbesuch im Rathaus.") is None


def test_event_dates_in_running_text_are_not_publication_dates() -> None:
    text = (
        "Zehn Jahre KI\n\nAls am 19. Oktober 2023 um 16.30 Uhr im Kreishaus ein Gong erklang, "
        "machten sich die Gäste auf den Weg. Am Mittwoch (11. September 2019) war sie zu Gast."
    )
    assert find_published(text) is None


def test_bare_date_line_under_the_teaser_is_the_date() -> None:
    text = "Meilenstein für die Integration\nDie Landesregierung sichert die Finanzierung.\n22.10.2017\nMehr Text."
    assert find_published(text) == D(2017, 10, 22)


def test_date_line_with_category_or_place() -> None:
    assert find_published("Titel\n3. August 2017 | Gesellschaft\nText") == D(2017, 8, 3)
    assert find_published("Lenzen\n23.10.2017 Düsseldorf\nZur Entscheidung ...") == D(2017, 10, 23)


def test_listing_page_with_many_dates_has_no_single_date() -> None:
    text = "\n".join(f"Meldung {i}\nTeaser.\n• {d}.11.2025" for i, d in enumerate((21, 20, 19)))
    assert find_published(text) is None


def test_programme_line_with_time_range_is_an_event_not_a_date_line() -> None:
    assert find_published("Einladung\nDonnerstag, 19.03.2015, 9:30 - 11:00 Uhr\nRathaus") is None


def test_date_in_url_path() -> None:
    url = "https://www.example-spd.de/2013/12/13/kommunales-integrationszentrum-finanziert/"
    assert find_published("Kein Datum im Text.", url=url) == D(2013, 12, 13)


def test_markup_dates_win_over_text() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2019-10-30T09:00:00+01:00">'
    )
    assert find_published("Stand: 01.01.2020", html=html) == D(2019, 10, 30)
    assert find_published("x", html='<p><time datetime="2018-07-18">18. Juli</time></p>') == D(
        2018, 7, 18
    )


def test_announcement_sentence_gives_the_date_when_nothing_else_does() -> None:
    text = "Dafür stehen Mittel bereit, teilte der Minister am Dienstag, 5. September 2023, mit."
    assert find_published(text) == D(2023, 9, 5)


def test_bare_datum_label_counts_only_at_the_edges_of_the_page() -> None:
    head = "Inhalt\nDatum: 04.03.2015\nTitel\n" + "Satz.\n" * 30
    body = "Titel\n" + "Satz.\n" * 15 + "Datum: 05.11.2025\n" + "Satz.\n" * 15
    assert find_published(head) == D(2015, 3, 4)
    assert find_published(body) is None


def test_page_titled_as_an_archive_gets_no_date_from_a_single_teaser_date() -> None:
    text = "Kreis lädt zum Ehrenamtstag ein\n14.02.2023\nDer Kreis bittet um Anmeldungen.\n"
    assert find_published(text) == D(2023, 2, 14)
    assert find_published(text, title="Newsarchiv") is None
    assert find_published(text, title="Pressemitteilungen – Stadt Hamm, Seite 3") is None


def test_archive_heading_with_two_teaser_dates_is_a_listing() -> None:
    text = (
        "Nachrichtenarchiv\nNeue Sprechzeiten im Bürgerbüro\n03.05.2022\nAb Juni gelten ...\n"
        "Sommerfest im Stadtpark\n28.04.2022\nDas Fest beginnt ...\n"
    )
    assert find_published(text) is None


def test_teaser_links_beside_date_lines_mark_a_listing() -> None:
    text = "Radweg wird saniert\n12.09.2021\nweiterlesen\nNeue Bänke am Markt\nweiterlesen\n"
    assert find_published(text) is None


def test_release_with_page_numbers_or_an_ordinary_title_keeps_its_date_line() -> None:
    text = "Seite 1 von 2\nStaatssekretärin besucht das Zentrum\n18.07.2018\nText."
    assert find_published(text, title="Staatssekretärin besucht das Zentrum") == D(2018, 7, 18)
    assert find_published(text, title="Nachrichten aus dem Kreishaus: Neue Leitung") == D(
        2018, 7, 18
    )


def test_markup_instants_count_as_berlin_dates() -> None:
    html = '<article><h1>Besuch</h1><time datetime="2018-10-01T22:30:00Z">1. Oktober</time></article>'
    assert from_html(html) == dt.date(2018, 10, 2)
    assert from_html('<meta property="article:published_time" content="2019-03-30T23:15:00+00:00">') == dt.date(2019, 3, 31)


def test_dates_of_other_articles_in_side_boxes_are_not_the_pages_date() -> None:
    html = ('<aside class="meistgelesen"><time datetime="2024-01-09">9.1.</time></aside>'
            '<article><h1>Besuch</h1><time datetime="2023-12-01T09:00:00+01:00">1.12.</time></article>')
    assert from_html(html) == dt.date(2023, 12, 1)


def test_a_later_stand_date_on_the_page_loses_to_the_listing_date() -> None:
    assert publication_date(dt.date(2020, 5, 4), dt.date(2018, 3, 1)) == dt.date(2018, 3, 1)  # "Stand: 04.05.2020"
    assert publication_date(dt.date(2018, 3, 1), dt.date(2018, 3, 2)) == dt.date(2018, 3, 1)
    assert publication_date(None, dt.date(2018, 3, 2)) == dt.date(2018, 3, 2)
    assert publication_date(dt.date(2018, 3, 1), None) == dt.date(2018, 3, 1)
