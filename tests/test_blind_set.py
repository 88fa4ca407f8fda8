"""The blind test set is well-formed, and its checker really rejects malformed documents.

The blind documents (tests/data/blind/) are gold data for measuring the analysis on texts its
rule writers never saw; this file only guards their format, it does not score the analysis.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BLIND_DIR = Path(__file__).parent / "data" / "blind"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("blind_check", BLIND_DIR / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_checker()
KI_NAMES = check.registered_ki_names()

WELL_FORMED = {
    "id": "b901",
    "url": "https://www.kreis-unna.de/presse/besuch.html",
    "host": "www.kreis-unna.de",
    "published": "2019-05-14",
    "title": "Staatssekretärin zu Gast",
    "text": "Die Staatssekretärin war zu Gast beim Kommunalen Integrationszentrum. " * 12,
    "label": "visit",
    "ki": ["Kreis Unna"],
    "visitors": ["Serap Güler (Staatssekretärin für Integration, MKFFI NRW)"],
    "amounts_eur": [],
    "notes": "constructed for the checker's own test",
}


def _problems_of(tmp_path: Path, document: dict, name: str = "b901_kreis-unna-de.json") -> list[str]:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return check.problems_in_document(path, KI_NAMES)


def _changed(**fields: object) -> dict:
    document = copy.deepcopy(WELL_FORMED)
    document.update(fields)
    return document


def test_every_blind_document_is_well_formed():
    assert check.problems_in_set() == []


def test_blind_set_holds_at_least_seventy_documents_of_all_four_classes():
    labels = Counter(
        json.loads(path.read_text(encoding="utf-8"))["label"] for path in BLIND_DIR.glob("b*.json")
    )
    assert sum(labels.values()) >= 70
    assert labels["visit"] >= 20 and labels["funding"] >= 14
    assert labels["other"] >= 14 and labels["irrelevant"] >= 16


def test_blind_set_prints_a_publication_date_on_most_but_not_all_documents():
    dates = [json.loads(p.read_text(encoding="utf-8"))["published"] for p in BLIND_DIR.glob("b*.json")]
    printed = sum(date is not None for date in dates)
    assert 40 <= printed < len(dates)


def test_checker_accepts_the_well_formed_example(tmp_path):
    assert _problems_of(tmp_path, WELL_FORMED) == []


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({k: v for k, v in WELL_FORMED.items() if k != "notes"}, "missing field 'notes'"),
        (_changed(extra=1), "unexpected field 'extra'"),
        (_changed(ki="Kreis Unna"), "field 'ki' has type str"),
        (_changed(label="besuch"), "label 'besuch' is not one of"),
        (_changed(ki=["Unna"]), "ki 'Unna' is not a registry name"),
        (_changed(ki=["Kreis Aachen"]), "ki 'Kreis Aachen' is not a registry name"),
        (_changed(label="funding"), "visitors given on a 'funding' document"),
        (_changed(visitors=[]), "a visit names no visitor"),
        (_changed(visitors=["Serap Güler"]), "is not 'Name (Rolle)'"),
        (_changed(label="irrelevant", visitors=[], ki=[], amounts_eur=[5000]), "amounts given on an irrelevant"),
        (_changed(label="irrelevant", visitors=[]), "KIs given on an irrelevant document"),
        (_changed(amounts_eur=["750.000 Euro"]), "positive numbers of euros"),
        (_changed(amounts_eur=[True]), "positive numbers of euros"),
        (_changed(published="14.05.2019"), "is not an ISO date"),
        (_changed(published="2019-02-30"), "is not an ISO date"),
        (_changed(published="2009-05-14"), "outside 2012-2026"),
        (_changed(text="zu kurz"), "not 600-4000"),
        (_changed(host="kreis-unna.de"), "is not the url's host"),
        (_changed(id="b902"), "does not match the file name"),
    ],
)
def test_checker_rejects_a_malformed_document(tmp_path, document, complaint):
    problems = _problems_of(tmp_path, document)
    assert any(complaint in problem for problem in problems), problems


def test_checker_rejects_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "b901_kreis-unna-de.json"
    path.write_text('{"id": "b901",', encoding="utf-8")
    assert "not readable JSON" in check.problems_in_document(path, KI_NAMES)[0]


def test_checker_rejects_a_file_name_without_the_id_pattern(tmp_path):
    problems = _problems_of(tmp_path, WELL_FORMED, name="b901 Kreis Unna.json")
    assert any("file name is not bNNN_<host>.json" in problem for problem in problems)


def test_checker_rejects_two_files_with_the_same_id(tmp_path):
    _problems_of(tmp_path, WELL_FORMED, name="b901_kreis-unna-de.json")
    _problems_of(tmp_path, WELL_FORMED, name="b901_unna-de.json")
    problems = check.problems_in_set(tmp_path, KI_NAMES)
    assert any("id b901 also used by" in problem for problem in problems)
