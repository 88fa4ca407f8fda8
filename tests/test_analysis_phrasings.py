"""Classes of phrasing added in analysis 2026.1, each with sentences written for the test
(none copied from a corpus document): visits told without "besucht", visitors found by role
and name shape, funding told as a decision or a start, KIs named by the bare Kreis name."""

from __future__ import annotations

import pytest

from monitor.analysis import Document, analyze


def _an(title: str, text: str, url: str = "https://www.example-kreis.de/presse/1"):
    return analyze(Document(url=url, title=title, text=text))


def _names(visitors: list[str]) -> list[str]:
    return [v.split(" (")[0] for v in visitors]


@pytest.mark.parametrize(
    "sentence",
    [
        "Staatssekretärin Petra Probe kam am Montag in den Kreis Soest und ließ sich im "
        "Kommunalen Integrationszentrum die Sprachförderung erklären.",
        "Im Kommunalen Integrationszentrum des Kreises Soest machte sich Staatssekretärin Petra "
        "Probe am Montag ein Bild von der Sprachförderung.",
        "Staatssekretärin Petra Probe war am Montag im Kommunalen Integrationszentrum des "
        "Kreises Soest zu Gast.",
        "Auf ihrer Sommerreise tourt Staatssekretärin Petra Probe durch das Land; Station war "
        "am Montag das Kommunale Integrationszentrum des Kreises Soest.",
        "Landrat Otto Beispiel und das Team des Kommunalen Integrationszentrums des Kreises "
        "Soest empfingen am Montag Staatssekretärin Petra Probe.",
    ],
)
def test_visits_told_without_besucht_are_visits(sentence: str) -> None:
    a = _an("Hoher Besuch aus Düsseldorf", sentence + " Sie lobte die Arbeit der Fachkräfte.")
    assert a.label == "visit", a.evidence
    assert _names(a.visitors) == ["Petra Probe"]
    assert a.ki == ["Kreis Soest"]


def test_a_visit_to_the_kreishaus_under_a_ki_title_is_a_ki_visit() -> None:
    a = _an(
        "Integrationszentrum stellt sich vor",
        "Minister Max Muster kam am Dienstag ins Kreishaus nach Soest. Dort tauschte er sich mit "
        "Landrat Otto Beispiel aus. Anschließend stellte das Team die Beratung für Neuzugewanderte vor.",
    )
    assert a.label == "visit", a.evidence
    assert _names(a.visitors) == ["Max Muster"]


def test_a_minister_in_a_town_hall_without_a_ki_is_not_a_visit() -> None:
    a = _an(
        "Minister im Rathaus",
        "Minister Max Muster kam am Dienstag ins Rathaus und tauschte sich mit dem Bürgermeister "
        "über den Straßenbau aus.",
    )
    assert a.label == "irrelevant"


def test_austausch_alone_without_a_named_visitor_is_no_visit() -> None:
    a = _an(
        "Netzwerktreffen im Integrationszentrum",
        "Das Kommunale Integrationszentrum des Kreises Soest lud zum Austausch der Sprachkursträger "
        "ein. Rund 30 Fachkräfte kamen ins Kreishaus.",
    )
    assert a.label == "other"


def test_a_department_head_named_by_role_is_a_visitor() -> None:
    a = _an(
        "Besuch aus dem Ministerium beim KI",
        "Am Mittwoch informierte sich Hanna Beispiel, Abteilungsleiterin Integration im "
        "Ministerium für Flucht und Integration, über die Integrationsarbeit im Kreis Soest. "
        "Die Mitarbeitenden des KI stellten ihre Projekte vor.",
    )
    assert a.label == "visit", a.evidence
    assert _names(a.visitors) == ["Hanna Beispiel"]


def test_a_department_head_accompanying_a_minister_is_not_returned() -> None:
    a = _an(
        "Ministerin besucht Kommunales Integrationszentrum",
        "Ministerin Anna Muster besuchte das Kommunale Integrationszentrum des Kreises Soest. "
        "Begleitet wurde sie von Hanna Beispiel, Abteilungsleiterin Integration im Ministerium "
        "für Flucht und Integration, die sich ebenfalls über die Arbeit informierte.",
    )
    assert _names(a.visitors) == ["Anna Muster"]


def test_accompanying_members_of_parliament_are_not_visitors() -> None:
    a = _an(
        "Staatssekretär besucht Kommunales Integrationszentrum",
        "Staatssekretär für Integration Karl Probe besuchte das Kommunale Integrationszentrum des "
        "Kreises Soest. Mit dabei waren die Landtagsabgeordnete Lisa Beispiel und der "
        "Bundestagsabgeordnete Jan Muster.",
    )
    assert _names(a.visitors) == ["Karl Probe"]


def test_a_former_state_secretary_is_found_in_a_release_from_his_term() -> None:
    doc = Document(url="https://www.example-kreis.de/presse/2", title="Besuch im Integrationszentrum",
                   text="Staatssekretär Klute besuchte das Kommunale Integrationszentrum des "
                        "Kreises Soest und informierte sich über die Elternarbeit.")  # fmt: skip
    import datetime as dt

    doc.published = dt.date(2014, 5, 6)
    assert _names(analyze(doc).visitors) == ["Thorsten Klute"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Kommunales Integrationsmanagement kann starten",
         "Der Kreis Soest hat den Zuwendungsbescheid des Landes erhalten. Damit kann das "
         "Kommunale Integrationszentrum drei neue Stellen besetzen."),
        ("Integrationsarbeit vor Ort wird mit KOMM-AN NRW gestärkt",
         "Das Kommunale Integrationszentrum des Kreises Soest erhält in diesem Jahr 120.000 Euro."),
        ("Neue Stellen für das Integrationszentrum",
         "Ministerin Anna Muster überreichte dem Kommunalen Integrationszentrum des Kreises Soest "
         "am Freitag den Förderbescheid über 90.000 Euro. Das Geld fließt in die Elternarbeit."),
    ],
)
def test_funding_told_as_a_decision_or_a_start_is_funding(title: str, text: str) -> None:
    a = _an(title, text)
    assert a.label == "funding", a.evidence
    assert a.ki == ["Kreis Soest"]


def test_an_anniversary_that_mentions_money_stays_other() -> None:
    a = _an(
        "Zehn Jahre Kommunales Integrationszentrum",
        "Das Kommunale Integrationszentrum des Kreises Soest feiert sein Jubiläum. In zehn Jahren "
        "flossen Landesmittel von rund 2 Millionen Euro in die Arbeit.",
    )
    assert a.label == "other"


def test_a_bare_kreis_name_after_a_ki_term_names_the_ki() -> None:
    a = _an(
        "Neue Sprechzeiten",
        "Das KI Lippe bietet ab Mai neue Sprechzeiten an. Das Kommunale Integrationszentrum "
        "berät Neuzugewanderte in zwölf Sprachen.",
    )
    assert a.ki == ["Kreis Lippe"]


def test_two_kis_named_together_are_both_returned() -> None:
    a = _an(
        "Gemeinsames Projekt",
        "Die Kommunalen Integrationszentren der Städte Bochum und Herne starten ein gemeinsames "
        "Projekt zur Elternarbeit.",
    )
    assert sorted(a.ki) == ["Bochum", "Herne"]


def test_the_seat_of_a_land_office_is_not_the_ki() -> None:
    a = _an(
        "Aufbau der Integrationszentren",
        "Die landesweite Koordinierungsstelle in Essen begleitet den Aufbau der Kommunalen "
        "Integrationszentren im ganzen Land.",
    )
    assert "Essen" not in a.ki


def test_a_ki_in_a_contact_line_loses_to_the_one_the_text_is_about() -> None:
    a = _an(
        "Sprachcafé im Integrationszentrum",
        "Das Kommunale Integrationszentrum des Kreises Soest öffnet ein Sprachcafé für Eltern.\n"
        "Kontakt: Kommunales Integrationszentrum Kreis Unna, Tel. 02303 000000, Friedrichstraße 9.",
    )
    assert a.ki == ["Kreis Soest"]


def test_two_kis_in_one_sentence_about_a_joint_visit_are_both_returned() -> None:
    a = _an(
        "Staatssekretär besucht zwei Integrationszentren",
        "Staatssekretär Karl Probe besuchte am Montag die Integrationsarbeit in Bochum und Herne. "
        "Die Kommunalen Integrationszentren stellten gemeinsame Projekte vor.",
    )
    assert sorted(a.ki) == ["Bochum", "Herne"]


def test_a_title_that_starts_a_programme_of_a_ki_is_not_funding_by_itself() -> None:
    a = _an(
        "Elterncafé startet im Kommunalen Integrationszentrum",
        "Das Kommunale Integrationszentrum des Kreises Soest lädt Eltern jeden Dienstag ein.",
    )
    assert a.label == "other"


def test_a_programme_report_that_mentions_funding_in_passing_is_other() -> None:
    a = _an(
        "Elterncafé im Integrationszentrum gut besucht",
        "Das vom Land geförderte Elterncafé des Kommunalen Integrationszentrums des Kreises Soest "
        "hatte im ersten Jahr über 200 Gäste. Eltern aus zwölf Ländern tauschten sich aus.",
    )
    assert a.label == "other"


def test_money_told_as_a_decision_in_the_lead_is_funding() -> None:
    a = _an(
        "Gute Nachricht für die Integrationsarbeit",
        "Die Landesregierung hat die Finanzierung des Kommunalen Integrationszentrums des Kreises "
        "Soest bis 2030 gesichert.",
    )
    assert a.label == "funding"


def test_a_grant_received_for_the_integration_management_is_funding() -> None:
    a = _an(
        "Neue Stellen im Kreis",
        "Landrat Otto Beispiel nahm am Freitag den Zuwendungsbescheid für das Kommunale "
        "Integrationsmanagement entgegen. Das Kommunale Integrationszentrum des Kreises Soest "
        "koordiniert die Arbeit.",
    )
    assert a.label == "funding", a.evidence


def test_the_abbreviation_alone_names_a_ki_only_in_neuter_forms_on_integration_pages() -> None:
    ki = _an("Besuch beim KI", "Ministerin Anna Muster sprach im Kreishaus über die Integrationsarbeit.")
    ai = _an("Integration der KI in den Unterricht",
             "Die KI schreibt Texte, sagte die Ministerin Anna Muster bei der Integration neuer Geräte.")  # fmt: skip
    assert ki.label != "irrelevant"
    assert ai.label == "irrelevant"
