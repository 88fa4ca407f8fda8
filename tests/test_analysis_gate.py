"""Quality gate: the analysis on the labelled corpus and on the blind set must stay above
these floors.

The floors sit on the two **blind** parts (``corpus.mark_blind``): the corpus' documents after
d050 from hosts the rule-writing documents never had, drawn by a salted hash of the host
before analysis 2026.1 wrote a rule; and the blind set's b050-b075 (``tests/data/blind``),
fixed by number before analysis 2026.2 wrote a rule. Their texts were never read for
rule-writing. The development parts (d001-d050, the other new documents, the seeds;
b001-b049) are what the rules were written from: guarded too, but their figures are fitted
and say little about unseen pages.

The corpus lives outside the repo (``../shared/corpus``), the blind set inside it. Locally
missing data skips the gate; under CI (``CI`` set) it fails, so a gate that measures nothing
cannot pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor.analysis import corpus, evaluate

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
BLIND_SET = Path(__file__).parent / "data" / "blind"

# Blind part, 20 documents. Measured with analysis 2026.1 and again with 2026.2 (unchanged):
# macro-F1 0.710, label accuracy 0.700, KI 0.800, visitors 0.950, amounts 0.950, dates 0.800
# (of 5 pages that print one). The rules are deterministic, so each floor sits just below its
# measurement.
BLIND_FLOORS = {"macro_f1": 0.69, "label_acc": 0.69, "ki_acc": 0.79, "visitors_acc": 0.94,
                "amounts_acc": 0.94, "date_acc": 0.79}  # fmt: skip
# Development part, 75 documents (2026.1 reaches 1.000 on each): two documents may slip.
DEVELOPMENT_FLOORS = {"macro_f1": 0.95, "label_acc": 0.96, "ki_acc": 0.96, "visitors_acc": 0.96,
                      "amounts_acc": 0.96, "date_acc": 0.96}  # fmt: skip
# Dates found on pages that print none, whole corpus (2026.1: 2, both on the blind part;
# 2025.3 had 0 there): not to grow.
MAX_INVENTED_DATES = 2
MAX_MS_PER_DOC = 15.0  # about 2 ms on a developer machine; CI may be slower
BLIND_DOCUMENTS = 20
DEVELOPMENT_DOCUMENTS = 75

# The blind set's blind part, b050-b075 (26 documents). Measured with analysis 2026.2:
# macro-F1 0.961, label accuracy 0.962, KI 0.962, visitors 1.000, amounts 0.962, dates 0.923
# (of 13 pages that print one), none invented (2026.1: macro-F1 0.665, label accuracy 0.846,
# KI 0.885, visitors 0.962, amounts 0.885, dates 0.615).
BLIND_SET_FLOORS = {"macro_f1": 0.95, "label_acc": 0.95, "ki_acc": 0.95, "visitors_acc": 0.99,
                    "amounts_acc": 0.95, "date_acc": 0.92}  # fmt: skip
# Its development part, b001-b049 (2026.2 reaches 1.000 on each): two documents may slip.
BLIND_SET_DEVELOPMENT_FLOORS = {"macro_f1": 0.95, "label_acc": 0.95, "ki_acc": 0.95,
                                "visitors_acc": 0.95, "amounts_acc": 0.95, "date_acc": 0.95}  # fmt: skip
BLIND_SET_BLIND_DOCUMENTS = 26
BLIND_SET_DEVELOPMENT_DOCUMENTS = 49


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def evaluated() -> tuple[list[corpus.Gold], list]:
    if not (CORPUS / "seeds_labelled.json").exists():
        _missing(f"labelled corpus not found at {CORPUS} (shared/ must sit beside the repo)")
    golds = corpus.load(CORPUS)
    _, preds = evaluate.run(golds)
    return golds, preds


@pytest.fixture(scope="module")
def blind_set_evaluated() -> tuple[list[corpus.Gold], list]:
    golds = corpus.load(BLIND_SET) if BLIND_SET.is_dir() else []
    if not golds:
        _missing(f"blind set not found at {BLIND_SET}")
    _, preds = evaluate.run(golds)
    return golds, preds


def _part(evaluated, blind: bool) -> evaluate.Report:
    golds, preds = evaluated
    idx = corpus.blind_part(golds) if blind else corpus.development_part(golds)
    return evaluate.score([golds[i] for i in idx], [preds[i] for i in idx])


def test_corpus_splits_into_blind_and_development_parts(evaluated) -> None:
    golds, _ = evaluated
    assert sum(g.id.startswith("seed") for g in golds) == 5
    assert len(corpus.blind_part(golds)) == BLIND_DOCUMENTS
    assert len(corpus.development_part(golds)) == DEVELOPMENT_DOCUMENTS
    rule_writing_hosts = {g.host for g in golds if (g.number or 99) <= corpus.RULE_WRITING_LAST}
    assert not any(g.host in rule_writing_hosts for g in golds if g.blind)


@pytest.mark.parametrize("metric", sorted(BLIND_FLOORS))
def test_blind_part_stays_above_floor(evaluated, metric: str) -> None:
    part = _part(evaluated, blind=True)
    part.wrong = []  # aggregate figures only: blind errors stay unseen
    assert getattr(part, metric) >= BLIND_FLOORS[metric], part.format("blind part")


@pytest.mark.parametrize("metric", sorted(DEVELOPMENT_FLOORS))
def test_development_part_stays_above_floor(evaluated, metric: str) -> None:
    part = _part(evaluated, blind=False)
    assert getattr(part, metric) >= DEVELOPMENT_FLOORS[metric], part.format("development part")


def test_pages_without_a_printed_date_get_none(evaluated) -> None:
    golds, preds = evaluated
    report = evaluate.score(golds, preds)
    assert report.date_false <= MAX_INVENTED_DATES, f"{report.date_false} dates invented"


def test_analysis_is_fast_enough_for_a_crawl(evaluated) -> None:
    golds, _ = evaluated
    assert evaluate.ms_per_doc(golds) < MAX_MS_PER_DOC


def test_blind_set_splits_at_b050(blind_set_evaluated) -> None:
    golds, _ = blind_set_evaluated
    blind = [golds[i] for i in corpus.blind_part(golds)]
    assert len(blind) == BLIND_SET_BLIND_DOCUMENTS
    assert len(corpus.development_part(golds)) == BLIND_SET_DEVELOPMENT_DOCUMENTS
    assert all((g.blind_set_number or 0) >= corpus.BLIND_SET_FIRST for g in blind)


@pytest.mark.parametrize("metric", sorted(BLIND_SET_FLOORS))
def test_blind_set_blind_part_stays_above_floor(blind_set_evaluated, metric: str) -> None:
    part = _part(blind_set_evaluated, blind=True)
    part.wrong = []  # aggregate figures only: blind errors stay unseen
    assert getattr(part, metric) >= BLIND_SET_FLOORS[metric], part.format("blind set, blind part")


@pytest.mark.parametrize("metric", sorted(BLIND_SET_DEVELOPMENT_FLOORS))
def test_blind_set_development_part_stays_above_floor(blind_set_evaluated, metric: str) -> None:
    part = _part(blind_set_evaluated, blind=False)
    assert getattr(part, metric) >= BLIND_SET_DEVELOPMENT_FLOORS[metric], part.format(
        "blind set, development part"
    )


def test_blind_set_pages_without_a_printed_date_get_none(blind_set_evaluated) -> None:
    golds, preds = blind_set_evaluated
    assert evaluate.score(golds, preds).date_false == 0
