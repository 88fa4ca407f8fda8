"""Classes of phrasing added in analysis 2026.2, each with sentences written for the test (none
copied from a corpus or blind-set document): visitors as printed and by ministry role, visits
to the host administration, head date lines, amounts that are no funding, per-KI lists,
partner KIs, navigation lines and look-alikes as the subject."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.analysis import Document, amounts, analyze, pubdate
from monitor.analysis.text import is_navigation, is_prose


def _an(title: str, text: str, url: str = "https://www.example-kreis.de/presse/1"):
    return analyze(Document(url=url, title=title, text=title + "\n" + text))


def _names(visitors: list[str]) -> list[str]:
    return [v.split(" (")[0] for v in visitors]


# --- visitors as the text prints them, and by ministry role ---------------------------------


def test_a_listed_visitor_keeps_the_doctors_title_the_text_prints() -> None:
    a = _an(
        "Minister besucht Kommunales Integrationszentrum",
        "Minister Dr. Joachim Stamp besuchte am Freitag das Kommunale Integrationszentrum des "
        "Kreises Soest. Stamp lobte die Beratung der Familien.",
    )
    assert a.label == "visit", a.evidence
    assert _names(a.visitors) == ["Dr. Joachim Stamp"]


def test_a_listed_visitor_keeps_the_diacritics_the_text_prints() -> None:
    a = _an(
        "Staatssekretärin besucht Kommunales Integrationszentrum",
        "Am 4. März 2012 besuchte Staatssekretärin Zülfiye Kaykın das Kommunale "
        "Integrationszentrum des Kreises Soest. Kaykın sprach mit den Fachkräften.",
    )
    assert _names(a.visitors) == ["Zülfiye Kaykın"]


def test_a_ministry_department_head_named_by_role_and_comma_visits() -> None:
    a = _an(
        "Besuch aus Düsseldorf",
        "Zu einem Besuch beim Kommunalen Integrationszentrum des Kreises Soest kam die Leiterin "
        "der Integrationsabteilung im NRW-Ministerium für Kinder, Jugend und Integration, "
        "Dr. Eva Probe, am Montag nach Soest. Sie ließ sich die Beratung zeigen.",
    )
    assert a.label == "visit", a.evidence
    assert _names(a.visitors) == ["Dr. Eva Probe"]


def test_a_surname_ending_like_a_place_word_is_still_a_name() -> None:
    a = _an(
        "Austausch im Kommunalen Integrationszentrum",
        "Ministerialdirigent Paul Holland besuchte am Dienstag das Kommunale "
        "Integrationszentrum des Kreises Soest und sprach mit dem Team.",
    )
    assert _names(a.visitors) == ["Paul Holland"]


# --- visits to the host administration -------------------------------------------------------


def test_a_visitor_coming_into_the_named_kreis_and_briefed_there_visits_the_ki() -> None:
    a = _an(
        "Staatssekretär kam ins Kreishaus",
        "Staatssekretär Max Muster kam am Montag in den Märkischen Kreis. Im Kreishaus ließ er "
        "sich von den Mitarbeitenden des Kommunalen Integrationszentrums die Arbeit erläutern.",
    )
    assert a.label == "visit", a.evidence
    assert a.ki == ["Märkischer Kreis"]


def test_a_ki_presented_to_the_visitor_at_the_host_building_makes_a_visit() -> None:
    a = _an(
        "Kurzbesuch in Wesel",
        "Für einen kurzen Besuch kam Staatssekretärin Petra Probe am Montag ins Kreishaus "
        "Wesel. Der Landrat hatte sie eingeladen, um ihr das Kommunale Integrationszentrum "
        "vorzustellen. Gemeinsam mit Abgeordneten ließ sie sich die Angebote erklären. Das "
        "Team des Kommunalen Integrationszentrums stellte die Elternarbeit vor.",
    )
    assert a.label == "visit", a.evidence


def test_the_federal_integration_commissioner_in_the_title_is_no_look_alike() -> None:
    a = _an(
        "Integrationsbeauftragte des Bundes zu Gast im Kreishaus",
        "Staatsministerin Petra Probe hat am Dienstag den Kreis Viersen besucht. Im Kreishaus "
        "ließ sie sich vom Kommunalen Integrationszentrum die Arbeit mit Geflüchteten erklären.",
    )
    assert a.label == "visit", a.evidence


def test_a_municipal_integration_commissioner_in_the_title_stays_a_look_alike() -> None:
    a = _an(
        "Neue Integrationsbeauftragte für Lippstadt",
        "Die Stadt Lippstadt hat eine neue Integrationsbeauftragte. Sie arbeitet eng mit dem "
        "Kommunalen Integrationszentrum des Kreises Soest zusammen.",
    )
    assert a.label == "irrelevant"


# --- publication dates in the page head ------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("Musterstadt, 05.11.2019", dt.date(2019, 11, 5)),
        ("Kreis Musterland, 02.08.2017", dt.date(2017, 8, 2)),
        ("Pressemitteilung · Ministerium für Arbeit · 18.04.2013", dt.date(2013, 4, 18)),
        ("17.08.2023 | 18:30 Uhr", dt.date(2023, 8, 17)),
        ("13. Juni 2023 um 18:05 Uhr | Lesedauer: 2 Minuten", dt.date(2023, 6, 13)),
        ("Musterstadt (ots) - 12.03.2019", dt.date(2019, 3, 12)),
        ("12.03.2019 / Pressestelle", dt.date(2019, 3, 12)),
        ("Di, 12.03.2019 - 10:15", dt.date(2019, 3, 12)),
        ("Erstellt: 12. März 2019", dt.date(2019, 3, 12)),
    ],
)
def test_a_date_line_in_the_page_head_is_the_publication_date(head: str, day: dt.date) -> None:
    text = (
        f"Kreis Musterland\nStartseite | Presse\n{head}\nNeues aus dem Kreis\n"
        "Das Kommunale Integrationszentrum hat am Mittwoch sein Programm für das neue Jahr "
        "vorgestellt, mit Kursen für Eltern und Schulen.\n"
    )
    assert pubdate.find(text, title="Neues aus dem Kreis") == day


def test_an_event_date_line_in_the_head_is_no_publication_date() -> None:
    text = (
        "Kreis Musterland\nNeues aus dem Kreis\nWann: 12.03.2019\n"
        "Das Kommunale Integrationszentrum hat sein Programm für das neue Jahr vorgestellt, "
        "mit Kursen für Eltern und Schulen.\n"
    )
    assert pubdate.find(text, title="Neues aus dem Kreis") is None


def test_teasers_of_other_releases_and_body_dates_are_no_head_date() -> None:
    text = (
        "Kreis Musterland\nNeues aus dem Kreis\n"
        "Das Kommunale Integrationszentrum hat sein Programm für das neue Jahr vorgestellt, "
        "mit Kursen für Eltern und Schulen.\n"
        "Weitere Meldungen\n12.04.2023 – Kreistag beschließt Schulentwicklungsplan\n"
    )
    assert pubdate.head_date_line(text.splitlines()) is None
    assert pubdate.find(text, title="Neues aus dem Kreis") is None


# --- amounts -----------------------------------------------------------------------------------


def _values(sentence: str) -> list[float]:
    return [a.value for a in amounts.find([sentence])[0]]


def test_thousands_cut_by_a_space_are_one_amount() -> None:
    assert _values("Es fließen rund 480 000 Euro Landesmittel in den Kreis.") == [480000]


@pytest.mark.parametrize(
    "sentence",
    [
        "Aus dem Programm erhält der Kreis in diesem Jahr 0 Euro.",
        "Für die Zentren stehen 1,7 Millionen Euro weniger bereit als im Vorjahr.",
        "Jedes Zentrum verliert damit gut 31.000 Euro.",
        "Ein Antrag kann bis zu 5.000 Euro umfassen.",
    ],
)
def test_nothing_differences_and_ceilings_per_application_are_no_funding(sentence: str) -> None:
    assert _values(sentence) == []


def test_a_level_beside_a_difference_stays() -> None:
    sentence = "Es sollen nur noch 27,9 Millionen Euro bereitstehen – 1,7 Millionen Euro weniger."
    assert _values(sentence) == [27900000]


def test_only_a_hedged_figure_restates_a_near_one() -> None:
    assert _values("Für die Zentren 29,6 Mio. € und für KOMM-AN 30 Mio. €.") == [29600000, 30000000]
    assert _values("Insgesamt 432,8 Mio. €, also mehr als 430 Mio. €.") == [432800000]


def test_a_list_of_allocations_per_ki_gives_those_kis_and_amounts() -> None:
    a = _an(
        "KOMM-AN NRW: Fördermittel für die Region verteilt",
        "Die Bezirksregierung hat die Mittel aus KOMM-AN NRW an die Kommunalen "
        "Integrationszentren der Region verteilt, insgesamt 1,2 Millionen Euro.\n"
        "Stadt Bielefeld: 412.000 Euro\nKreis Lippe: 367.300 Euro\n"
        "Kreis Minden-Lübbecke: 420.700 Euro\nKontakt: 0521 51-0\n",
    )
    assert a.label == "funding", a.evidence
    assert a.ki == ["Bielefeld", "Kreis Lippe", "Kreis Minden-Lübbecke"]
    assert sorted(a.amounts_eur) == [367300, 412000, 420700, 1200000]


def test_money_from_a_hyphenated_source_in_the_title_is_funding() -> None:
    a = _an(
        "EU-Mittel für ein Projekt des Kommunalen Integrationszentrums",
        "Das Kommunale Integrationszentrum des Kreises Soest hat den Zuschlag für ein Projekt "
        "erhalten. Es beginnt im Januar und läuft drei Jahre.",
    )
    assert a.label == "funding", a.evidence


# --- which KI; what is boilerplate -----------------------------------------------------------


def test_a_ki_named_only_as_a_partner_yields_to_the_one_the_text_is_about() -> None:
    a = _an(
        "Kommunales Integrationszentrum stellt Arbeit vor",
        "Die Leiterin des Kommunalen Integrationszentrums der Stadt Aachen stellte die "
        "Schwerpunkte vor. Gelobt wurde die Zusammenarbeit mit dem Kommunalen "
        "Integrationszentrum der Städteregion Aachen.",
    )
    assert a.ki == ["Aachen"]


def test_menus_and_teaser_lines_are_navigation() -> None:
    menu = "Navigation: Aktuelles · Pressemitteilungen · Kommunales Integrationszentrum · Jobs"
    assert is_navigation(menu) and not is_prose(menu)
    assert is_navigation("02.11.2023 – Kommunales Integrationszentrum lädt zum Fest")
    assert not is_navigation("Das Zentrum berät Eltern, Schulen und Kitas im ganzen Kreis.")


def test_a_ki_named_only_in_the_menu_makes_no_page_relevant() -> None:
    a = _an(
        "Neue Öffnungszeiten der Zulassungsstelle",
        "Start · Bürgerservice · Kommunales Integrationszentrum · Gesundheitsamt · Presse · "
        "Kreistag und Politik\n"
        "Themen: Soziales · Kommunales Integrationszentrum des Kreises · Jobcenter · Schulen · "
        "Kreisarchiv\n"
        "Die Zulassungsstelle des Kreises ist ab Montag auch am Samstagvormittag geöffnet, "
        "teilte die Verwaltung mit.",
    )
    assert a.label == "irrelevant"


# --- look-alikes as the subject ----------------------------------------------------------------


def test_a_look_alike_opening_the_body_and_named_most_is_the_subject() -> None:
    a = _an(
        "Interkulturelle Woche beginnt",
        "Der Integrationsrat der Stadt Hamm lädt zur Interkulturellen Woche ein. Unterstützt "
        "wird der Integrationsrat vom Kommunalen Integrationszentrum. Der Integrationsrat "
        "freut sich auf viele Gäste.",
    )
    assert a.label == "irrelevant", a.evidence


def test_a_ki_named_more_than_the_look_alike_stays_the_subject() -> None:
    a = _an(
        "Interkulturelle Woche beginnt",
        "Der Integrationsrat und das Kommunale Integrationszentrum der Stadt Hamm laden zur "
        "Interkulturellen Woche ein. Das Kommunale Integrationszentrum hat das Programm "
        "zusammengestellt.",
    )
    assert a.label == "other", a.evidence


def test_another_states_government_is_no_nrw_marker() -> None:
    a = _an(
        "Landesregierung Brandenburg fördert Integrationszentrum in Cottbus",
        "Das Kommunale Integrationszentrum in Cottbus erhält 200.000 Euro vom Land "
        "Brandenburg. Es berät Zugewanderte in der Lausitz.",
    )
    assert a.label == "irrelevant", a.evidence


@pytest.mark.parametrize(
    "verb",
    ["informierte sie sich über", "machte sie sich ein Bild von", "verschaffte sie sich einen Eindruck von"],
)
def test_a_visit_told_with_the_pronoun_before_sich_is_a_visit(verb: str) -> None:
    a = _an(
        "Ministerin in Hamm",
        f"Ministerin Anna Muster war am Dienstag in Hamm. Im Rathaus {verb} der Arbeit des "
        "Kommunalen Integrationszentrums. Die Leiterin stellte die Projekte vor.",
    )
    assert a.label == "visit", a.evidence
    assert a.ki == ["Hamm"]


def test_money_atop_a_press_listing_for_something_else_is_no_funding() -> None:
    a = analyze(Document(
        url="https://www.example-kreis.de/presse",
        title="Pressemitteilungen",
        text="Pressemitteilungen\n12.03.2019\nKreis fördert Sportvereine mit 50.000 Euro\n"
             "Der Kreis unterstützt die Sportvereine mit 50.000 Euro für neue Geräte und Trainer.\n"
             "10.03.2019\nKommunales Integrationszentrum lädt zum Elterncafé\n"
             "Das Kommunale Integrationszentrum lädt Eltern jeden Dienstag ab 10 Uhr ins Kreishaus ein.\n",
    ))  # fmt: skip
    assert a.label != "funding", a.evidence
    assert a.amounts_eur == [50000]  # listed, but not as the news


def test_a_budget_title_without_integration_work_is_no_funding() -> None:
    a = _an(
        "Haushalt 2020 verabschiedet",
        "Der Kreistag hat den Haushalt 2020 verabschiedet. Er umfasst 450 Millionen Euro. Für "
        "Straßen sind 12 Millionen Euro vorgesehen. Auch das Kommunale Integrationszentrum "
        "bekommt zwei neue Stellen. Das Kommunale Integrationszentrum betreut damit mehr Familien.",
    )
    assert a.label != "funding", a.evidence


def test_a_grant_for_integration_work_under_a_money_title_stays_funding() -> None:
    a = _an(
        "Förderbescheid für den Kreis",
        "Das Kommunale Integrationszentrum des Kreises Soest erhält 90.000 Euro für die Arbeit "
        "mit Zugewanderten. Den Bescheid überreichte die Bezirksregierung.",
    )
    assert a.label == "funding", a.evidence
