"""The knowledge files are complete and consistent with the KI registry."""

from __future__ import annotations

import datetime as dt
import re

from monitor.knowledge import load
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
