"""The knowledge files are complete and consistent with the KI registry."""

from __future__ import annotations

import datetime as dt
import re

from monitor.knowledge import load, pattern
from scrapers.kis import ki_by_name


def test_kis_file_covers_exactly_the_registry() -> None:
    assert {k["name"] for k in load("kis")["kis"]} == set(ki_by_name())


def test_municipalities_cover_all_396_gemeinden_and_31_kreise() -> None:
    muni = load("municipalities")["municipalities"]
    assert len(muni) == 396
    kreise = {ki for ki in muni.values() if ki_by_name()[ki].type != "kreisfreie Stadt"} - {
        "Aachen"
    }
    assert len(kreise) == 31
    assert muni["Aachen"] == "Aachen" and muni["Stolberg (Rhld.)"] == "Städteregion Aachen"


def test_officials_have_valid_periods_of_office() -> None:
    for o in load("officials")["officials"]:
        for office in o["offices"]:
            start = dt.date.fromisoformat(office["from"])
            assert office["to"] is None or dt.date.fromisoformat(office["to"]) > start, o["name"]
            assert office["level"] in {"land", "bund"}


def test_every_lexicon_entry_is_a_valid_regular_expression() -> None:
    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):
                    walk(value)
        elif isinstance(node, list):
            for entry in node:
                re.compile(entry)

    walk(load("lexicon"))


def _lexicon_paths() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []

    def walk(node: object, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):
                    walk(value, (*path, key))
        elif isinstance(node, list):
            out.append(path)

    walk(load("lexicon"), ())
    return out


SAMPLES = [
    "Staatssekretärin Serap Güler besuchte das Kommunale Integrationszentrum in Hamm.",
    "STAATSSEKRETÄRIN BESUCHT KOMMUNALES INTEGRATIONSZENTRUM – Förderbescheid über 50.000 €",
    "Die Vorbesuche im Integrationszentrum-Neubau; KI-Leiterin, Kommunalen Integrationszentren.",
    "Landesmittel für das KIM: Nordrhein-Westfalen stockt Integrationspauschale auf (NRW).",
    "Brandenburger Integrationszentrum in Frankfurt (Oder) mit bayerischer Hilfe eröffnet.",
    # Letters whose case folding goes beyond str.lower(): dotless i, long s, micro sign.
    "ıntegratıonszentrum, Beſuch, µ-Förderung, Kommunales İntegrationszentrum Soest",
    "",
]


def test_fast_lexicon_search_finds_exactly_what_the_plain_regex_finds() -> None:
    for path in _lexicon_paths():
        for flags in (re.IGNORECASE, 0):
            lex = pattern(*path, flags=flags)
            for text in SAMPLES:
                got = [m.span() for m in lex.finditer(text)]
                assert got == [m.span() for m in lex.rx.finditer(text)], (path, text)
                first = lex.search(text)
                assert (first and first.span()) == (got[0] if got else None)
