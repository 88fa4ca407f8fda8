"""Which KI a release is about: registry names, towns to their Kreis, Aachen city vs region."""

from __future__ import annotations

from monitor.analysis import Document, analyze
from monitor.analysis.kis import find_places
from monitor.knowledge import load


def _ki(text: str, title: str = "", url: str = "https://example.org/a") -> list[str]:
    return analyze(Document(url=url, title=title, text=text)).ki


VISIT = "Integrationsstaatssekretärin Serap Güler besuchte {where}. {more}"


def test_every_nrw_municipality_points_to_a_registry_ki() -> None:
    muni = load("municipalities")["municipalities"]
    registry = {k["name"] for k in load("kis")["kis"]}
    assert len(muni) == 396
    assert set(muni.values()) == registry


def test_town_inside_a_kreis_points_to_the_kreis() -> None:
    text = VISIT.format(
        where="das Kommunale Integrationszentrum in Ahlen", more="Der Landrat freute sich."
    )
    assert _ki(text) == ["Kreis Warendorf"]


def test_city_of_aachen_and_staedteregion_are_two_kis() -> None:
    text = VISIT.format(
        where="die Kommunalen Integrationszentren der Stadt Aachen und der Städteregion Aachen",
        more="Sie lobte die Arbeit.",
    )
    assert sorted(_ki(text)) == ["Aachen", "Städteregion Aachen"]


def test_koeln_muelheim_is_not_muelheim_an_der_ruhr() -> None:
    text = (
        "In Köln besuchten Staatssekretärin Güler und Staatsministerin Widmann-Mauz das Kommunale "
        "Integrationszentrum. Letzte Station war das Projekt in Köln-Mülheim. Die Mülheimer "
        "Einrichtung unterstützt Familien."
    )
    assert _ki(text) == ["Köln"]


def test_adjective_before_ki_term_names_the_city() -> None:
    text = "Die Staatssekretärin war im Kölner Kommunalen Integrationszentrum zu Besuch. Sie lobte das Team."
    assert _ki(text) == ["Köln"]


def test_place_outside_the_ki_sentences_does_not_compete_with_an_attached_one() -> None:
    text = (
        "NRW-Ministerin Sylvia Löhrmann informierte sich im Kommunalen Integrationszentrum Kreis Unna. "
        "Sie erzählte von ihrer Zeit als Lehrerin in Duisburg-Meiderich."
    )
    assert _ki(text) == ["Kreis Unna"]


def test_euskirchen_bildungs_und_integrationszentrum_is_a_ki() -> None:
    text = "Ministerin Josefine Paul besuchte das Bildungs- und Integrationszentrum des Kreises Euskirchen."
    assert _ki(text) == ["Kreis Euskirchen"]


def test_statewide_release_names_no_ki() -> None:
    text = (
        "Die Landesregierung sichert die Finanzierung der Kommunalen Integrationszentren aus Landesmitteln. "
        "Die Integrationspauschale geht an 396 Gemeinden und 31 Kreise (einschließlich Städteregion Aachen)."
    )
    assert _ki(text, title="Kommunale Integrationszentren gesichert") == []


def test_ki_page_without_place_falls_back_to_the_kis_host() -> None:
    text = "Mit KOMM-AN NRW fördert das Land die Kommunalen Integrationszentren und Ankommenstreffpunkte vor Ort."
    assert _ki(text, title="Komm-AN NRW", url="https://www.herne.de/Integration/Komm-AN-NRW/") == [
        "Herne"
    ]


def test_town_names_that_are_common_words_need_a_preposition() -> None:
    assert find_places("Die Lage ist ernst, beim Essen wurde gelacht.") == []
    assert [p.ki for p in find_places("Ein Besuch in Essen und in Lage.")] == [
        "Essen",
        "Kreis Lippe",
    ]


def test_programme_money_without_ki_term_takes_the_place_of_the_headline() -> None:
    text = (
        "Das Land NRW fördert das Kommunale Integrationsmanagement im Kreis Lippe mit 300.000 Euro. "
        "Die Mittel gehen an 31 Kreise (einschließlich Städteregion Aachen)."
    )
    a = analyze(
        Document(
            url="https://example.org/x",
            title="Kreis Lippe erhält 300.000 Euro für das KIM",
            text=text,
        )
    )
    assert (a.label, a.ki) == ("funding", ["Kreis Lippe"])


def test_place_scan_prefers_the_longest_name_and_skips_names_inside_words() -> None:
    found = [
        (p.form, p.ki)
        for p in find_places("In Bad Laasphe und Bad Driburgs Norden, nicht in Sonderbad Laasphe.")
    ]
    assert found[:2] == [
        ("Bad Laasphe", "Kreis Siegen-Wittgenstein"),
        ("Bad Driburg", "Kreis Höxter"),
    ]
    assert ("Städteregion Aachen", "Städteregion Aachen") in [
        (p.form, p.ki) for p in find_places("die StädteRegion und die Städteregion Aachen")
    ]
    assert find_places("Unterhammer und Essensausgabe") == []
