"""Labels: visit / funding / other / irrelevant, with evidence; look-alikes stay irrelevant."""

from __future__ import annotations

import json

from monitor.analysis import ANALYSIS_VERSION, Document, analyze


def _an(title: str, text: str, url: str = "https://www.kreis-unna.de/presse/1"):
    return analyze(Document(url=url, title=title, text=text))


def test_state_secretary_visiting_a_ki_is_a_visit_with_visitor_and_evidence() -> None:
    a = _an(
        "Staatssekretärin besucht Kommunales Integrationszentrum",
        "Am Freitag kam Staatssekretärin Serap Güler zum Kommunalen Integrationszentrum des Kreises "
        "Unna nach Bergkamen. Landrat Michael Makiolla begrüßte die Besucherin. KI-Leiterin Marina "
        "Raupach stellte die Arbeit vor.",
    )
    assert a.label == "visit"
    assert a.ki == ["Kreis Unna"]
    assert [v.split(" (")[0] for v in a.visitors] == ["Serap Güler"]
    assert any("visit of the KI" in e for e in a.evidence)


def test_hosts_are_not_visitors() -> None:
    a = _an(
        "Ministerin besucht KI",
        "NRW-Schulministerin Sylvia Löhrmann besuchte das Kommunale Integrationszentrum Kreis Unna. "
        "Landrat Michael Makiolla und Bürgermeister Roland Schäfer begrüßten die Ministerin.",
    )
    assert a.label == "visit"
    assert len(a.visitors) == 1 and a.visitors[0].startswith("Sylvia Löhrmann (")


def test_unknown_official_is_found_through_the_role_word() -> None:
    a = _an(
        "Besuch aus dem Ministerium",
        "Staatssekretärin Erika Mustermann besuchte am Montag das Kommunale Integrationszentrum in "
        "Unna und informierte sich über die Arbeit.",
    )
    assert a.label == "visit"
    assert a.visitors == ["Erika Mustermann (Staatssekretärin)"]


def test_minister_visiting_a_school_without_ki_is_irrelevant() -> None:
    a = _an(
        "Ministerin besucht Grundschule",
        "Dorothee Feller, Ministerin für Schule und Bildung, besuchte die Kolpingschule in Willich "
        "und sprach mit Schülerinnen und Schülern über ihre Lieblingsfächer.",
    )
    assert a.label == "irrelevant"
    assert a.ki == [] and a.visitors == [] and a.amounts_eur == []


def test_ki_in_navigation_only_does_not_make_a_page_relevant() -> None:
    text = (
        "Startseite\nKommunales Integrationszentrum\nKOMM-AN NRW\n"
        "Die Sanierung der Kämpchenstraße beginnt heute und dauert voraussichtlich bis zum 6. Juni, "
        "eine Umleitung ist ausgeschildert.\n"
    )
    assert _an("Sperrung der Kämpchenstraße", text).label == "irrelevant"


def test_kommunales_integrationszentrum_outside_nrw_is_irrelevant() -> None:
    a = _an(
        "Zentrum für Zuwanderung wird eröffnet",
        "Am 24. April eröffnet die Stadt Frankfurt (Oder) das erste Kommunale Integrationszentrum in "
        "Brandenburg. Es soll als Schnittstelle für alle Integrationsfragen dienen.",
        url="https://www.zeitung.example/artikel/1",
    )
    assert a.label == "irrelevant"


def test_funding_title_wins_over_a_handover_visit() -> None:
    a = _an(
        "Staatssekretär übergibt Förderbescheid an das Kommunale Integrationszentrum",
        "Mit 250.000 Euro fördert das Bundesministerium das Kommunale Integrationszentrum des "
        "Kreises Unna. Staatssekretär Thomas Rachel besuchte dazu das Kreishaus.",
    )
    assert a.label == "funding"
    assert a.amounts_eur == [250_000]
    assert a.visitors == []


def test_statewide_integrationspauschale_is_funding_without_ki() -> None:
    a = _an(
        "Integrationspauschale wird in voller Höhe weitergeleitet",
        "Die Landesregierung gibt die Integrationspauschale des Bundes vollständig – 432,8 Millionen "
        "Euro – an die Kommunen weiter. 2018 flossen bereits 100 Millionen Euro.",
        url="https://www.land.nrw/pressemitteilung/x",
    )
    assert (a.label, a.ki, a.amounts_eur) == ("funding", [], [432_800_000, 100_000_000])


def test_minister_speaking_at_a_ki_conference_is_other() -> None:
    a = _an(
        "Integrationskonferenz des Kreises",
        "Auf Einladung des Kommunalen Integrationszentrums beraten die Teilnehmenden über "
        "Willkommenskultur. Staatssekretär Thorsten Klute besuchte die Konferenz des Kommunalen "
        "Integrationszentrums Kreis Unna und hielt ein Grußwort.",
    )
    assert a.label == "other"


def test_ki_anniversary_is_other_even_with_funding_background() -> None:
    a = _an(
        "Zehn Jahre Kommunales Integrationszentrum",
        "Das Kommunale Integrationszentrum Leverkusen feiert seinen 10. Geburtstag. Das Land fördert "
        "die Kommunalen Integrationszentren seit 2012 finanziell.",
    )
    assert (a.label, a.ki) == ("other", ["Leverkusen"])


def test_visit_to_another_place_where_ki_staff_join_is_not_a_ki_visit() -> None:
    a = _an(
        "Staatssekretärin besuchte Begegnungsstätte",
        "Integrationsstaatssekretärin Serap Güler war in der Begegnungsstätte für Flüchtlinge in Marl "
        "zu Gast. Bei dem Besuch sprach sie mit Vertreterinnen der Stadtverwaltung und des "
        "Kommunalen Integrationszentrums beim Kreis Recklinghausen.",
    )
    assert a.label == "other"
    assert a.ki == ["Kreis Recklinghausen"]


def test_integrationsrat_item_naming_the_ki_in_passing_is_irrelevant() -> None:
    a = _an(
        "Integrationsrat wählt neuen Vorsitz",
        "Der Integrationsrat der Stadt hat in seiner Sitzung einen neuen Vorsitzenden gewählt. Die "
        "Wahl leitete der Bürgermeister. Die Geschäftsführung liegt beim Kommunalen Integrationszentrum.",
    )
    assert a.label == "irrelevant"


def test_analysis_serialises_to_json_with_iso_dates_and_version() -> None:
    a = _an("Staatssekretärin besucht Kommunales Integrationszentrum",
            "Heute (2. August) besuchte Staatssekretärin Serap Güler das Kommunale "
            "Integrationszentrum Herne.\nStand: 02.08.2017")  # fmt: skip
    data = a.to_json()
    json.dumps(data)
    assert data["published"] == "2017-08-02"
    assert data["event_date"] == "2017-08-02"
    assert data["analysis_version"] == ANALYSIS_VERSION


# --- A bare "Integrationszentrum" needs something that places the page in NRW ---------------


def test_bare_integrationszentrum_on_a_page_from_another_state_is_irrelevant() -> None:
    a = _an(
        "Neues Integrationszentrum öffnet im Frühjahr",
        "Das Integrationszentrum am Marktplatz bündelt künftig Beratung, Sprachkurse und "
        "Hilfen für Zugewanderte. Der Stadtrat hat dem Umbau des alten Postgebäudes zugestimmt.\n"
        "Lausitzer Rundschau, Lokalredaktion",
        url="https://www.lr-online.de/lausitz/artikel-1",
    )
    assert a.label == "irrelevant"
    assert "nothing on the page in NRW" in a.evidence[0]


def test_bare_integrationszentrum_without_any_place_is_irrelevant() -> None:
    a = _an(
        "Integrationszentrum sucht Ehrenamtliche",
        "Das Integrationszentrum der Stadt sucht Menschen, die Geflüchtete bei Behördengängen "
        "begleiten. Interessierte melden sich bis Ende des Monats im Bürgerbüro.",
        url="https://www.stadtanzeiger.example/lokales/1",
    )
    assert a.label == "irrelevant"
    assert "other states use too" in a.evidence[0]


def test_bare_integrationszentrum_with_an_nrw_place_stays_about_the_ki() -> None:
    a = _an(
        "Integrationszentrum sucht Ehrenamtliche",
        "Das Integrationszentrum der Stadt Bottrop sucht Menschen, die Geflüchtete bei "
        "Behördengängen begleiten. Interessierte melden sich bis Ende des Monats im Bürgerbüro.",
        url="https://www.stadtanzeiger.example/lokales/1",
    )
    assert (a.label, a.ki) == ("other", ["Bottrop"])


def test_bare_integrationszentrum_on_an_nrw_host_or_with_nrw_named_stays_relevant() -> None:
    text = (
        "Das Integrationszentrum lädt Eltern zu einem Informationsabend über das Schulsystem ein. "
        "Dolmetscherinnen übersetzen in sechs Sprachen."
    )
    assert (
        _an("Elternabend im Integrationszentrum", text, url="https://www.kreis-unna.de/x").label
        == "other"
    )
    nrw = text + " Das Angebot wird vom Land Nordrhein-Westfalen getragen."
    assert (
        _an("Elternabend im Integrationszentrum", nrw, url="https://example.org/x").label == "other"
    )


def test_newspaper_of_another_state_makes_a_kommunales_integrationszentrum_irrelevant() -> None:
    a = _an(
        "Beratung unter einem Dach",
        "Das Kommunale Integrationszentrum berät ab Montag in neuen Räumen an der Hauptstraße. "
        "Die Stadt hatte die Einrichtung im vergangenen Jahr gegründet.",
        url="https://www.maz-online.de/lokales/artikel-2",
    )
    assert a.label == "irrelevant"


# --- Funding told with "stärkt", "stellt ... bereit", "fördert ... mit", "Mittel für" ---------


def test_land_staerkt_kommunales_integrationsmanagement_is_funding() -> None:
    a = _an(
        "Land stärkt Kommunales Integrationsmanagement",
        "Die Landesregierung setzt das Programm in allen Kreisen und kreisfreien Städten fort. "
        "Case-Managerinnen begleiten Zugewanderte durch die Zuständigkeiten der Verwaltung.",
        url="https://www.land.nrw/pressemitteilung/kim",
    )
    assert a.label == "funding"
    assert any("programme in scope" in e for e in a.evidence)


def test_lead_that_provides_money_is_funding_even_with_a_period_in_the_title() -> None:
    a = _an(
        "Land sichert Kommunale Integrationszentren für weitere fünf Jahre",
        "Das Land stellt den 54 Kommunalen Integrationszentren auch künftig jährlich Mittel für "
        "Personal und Projekte bereit. Die Förderung wird bis 2030 verlängert.",
        url="https://www.land.nrw/pressemitteilung/ki",
    )
    assert a.label == "funding"


def test_stellt_bereit_in_the_lead_frames_money() -> None:
    a = _an(
        "Neue Stellen für das Integrationsmanagement im Kreis Wesel",
        "Das Land stellt dem Kreis Wesel für das Kommunale Integrationsmanagement drei weitere "
        "Stellen bereit. Der Kreistag hat der Einrichtung zugestimmt.",
    )
    assert a.label == "funding"


def test_ki_that_strengthens_something_itself_is_not_funding() -> None:
    a = _an(
        "Kommunales Integrationszentrum stärkt Elternarbeit",
        "Das Kommunale Integrationszentrum Kreis Unna bietet ab Herbst Elterncafés an. Die Reihe "
        "bringt Familien und Lehrkräfte miteinander ins Gespräch.",
    )
    assert a.label == "other"


# --- A visit told in two sentences of one passage ---------------------------------------------


def test_visit_with_visiting_verb_and_ki_in_neighbouring_sentences_is_a_visit() -> None:
    a = _an(
        "Hoher Besuch im Kreishaus",
        "Staatssekretärin Serap Güler informiert sich am Dienstag im Kreishaus in Unna über die "
        "Integrationsarbeit. Das Kommunale Integrationszentrum stellt ihr dabei seine Projekte "
        "für neu zugewanderte Familien vor. Landrat Mario Löhr begrüßt den Gast.\n"
        "Stand: 14.03.2019",
    )
    assert a.label == "visit"
    assert a.ki == ["Kreis Unna"]
    assert [v.split(" (")[0] for v in a.visitors] == ["Serap Güler"]
    assert any("visit of the KI" in e and " … " in e for e in a.evidence)


def test_pronoun_after_the_visitor_carries_the_visit_into_the_next_sentence() -> None:
    a = _an(
        "Ministerin in Herford",
        "Ministerin Josefine Paul war am Montag in Herford. Sie war dort im Kreishaus zu Gast. "
        "Im Kommunalen Integrationszentrum ließ sie sich die Sprachmittlerarbeit zeigen.",
    )
    assert a.label == "visit"


def test_visit_to_a_school_with_the_ki_named_in_the_next_sentence_is_not_a_ki_visit() -> None:
    a = _an(
        "Ministerin in Herford",
        "Ministerin Josefine Paul besuchte am Montag eine Gesamtschule in Herford. Das Kommunale "
        "Integrationszentrum des Kreises begleitet dort seit Jahren die Seiteneinsteiger.",
    )
    assert a.label == "other"


def test_ki_staff_taking_part_elsewhere_is_not_a_ki_visit() -> None:
    a = _an(
        "Staatssekretär in Gladbeck",
        "Staatssekretär Lorenz Bahr war am Freitag im Rathaus Gladbeck zu Gast. Vertreterinnen "
        "des Kommunalen Integrationszentrums berichteten über die Arbeit mit Geflüchteten.",
    )
    assert a.label == "other"


def test_visit_passage_may_run_over_one_sentence_paragraphs() -> None:
    a = _an(
        "Besuch aus Düsseldorf",
        "Integrationsstaatssekretärin Serap Güler besucht am Donnerstag den Kreis Kleve.\n"
        "Im Kreishaus stellt ihr das Kommunale Integrationszentrum die Arbeit der Sprachmittler vor.\n"
        "Landrätin Silke Gorißen empfängt die Staatssekretärin um 10 Uhr.",
    )
    assert (a.label, a.ki) == ("visit", ["Kreis Kleve"])
