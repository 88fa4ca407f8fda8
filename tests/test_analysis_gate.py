"""Quality gate: the analysis on the seeds + labelled corpus must stay above these floors.

The corpus lives outside the repo (``../shared/corpus``). Every 5th labelled document
(d005, d010, ... d050) was kept out of rule-writing up to analysis 2025.2 (blind: label accuracy
0.7, macro-F1 0.529). Analysis 2025.3 fixed the three error classes found there (from their
descriptions, not their texts), so the held-out figures are no longer a blind estimate; they
are still reported and guarded separately.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.analysis import corpus, evaluate

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

# Floors for all 55 documents (2025.3 reaches 1.000 on each; the margin lets one or two documents
# slip, a date error excepted). Targets of issue 4: macro-F1 0.95, KI 0.95, date 0.98, amounts 0.95.
FLOORS = {"macro_f1": 0.96, "ki_acc": 0.96, "date_acc": 0.98, "amounts_acc": 0.96,
          "visitors_acc": 0.96, "label_acc": 0.96}  # fmt: skip
MAX_INVENTED_DATES = 1  # dates found on pages that print none (2025.3: 0)
# Held-out part (10 documents; 2025.3 reaches 1.000): one document may slip.
HELD_OUT_FLOORS = {"label_acc": 0.9, "ki_acc": 0.9, "amounts_acc": 0.9, "visitors_acc": 0.9,
                   "macro_f1": 0.7}  # fmt: skip
MAX_MS_PER_DOC = 15.0  # about 1.4 ms on a developer machine; CI may be slower

pytestmark = pytest.mark.skipif(
    not (CORPUS / "seeds_labelled.json").exists(),
    reason=f"labelled corpus not found at {CORPUS} (shared/ must sit beside the repo)",
)


@pytest.fixture(scope="module")
def evaluated() -> tuple[list[corpus.Gold], evaluate.Report, list]:
    golds = corpus.load(CORPUS)
    report, preds = evaluate.run(golds)
    return golds, report, preds


def test_corpus_has_seeds_and_labelled_documents(evaluated) -> None:
    golds, _, _ = evaluated
    assert sum(g.id.startswith("seed") for g in golds) == 5
    assert len(golds) >= 55
    assert sum(g.held_out for g in golds) == 10


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_whole_corpus_stays_above_floor(evaluated, metric: str) -> None:
    _, report, _ = evaluated
    print("\n" + report.format("whole corpus"))
    assert getattr(report, metric) >= FLOORS[metric], report.format()


@pytest.mark.parametrize("metric", sorted(HELD_OUT_FLOORS))
def test_held_out_part_stays_above_floor(evaluated, metric: str) -> None:
    golds, report, preds = evaluated
    idx = [i for i, g in enumerate(golds) if g.held_out]
    part = evaluate.score([golds[i] for i in idx], [preds[i] for i in idx])
    print("\n" + part.format("held-out part"))
    assert getattr(part, metric) >= HELD_OUT_FLOORS[metric], part.format()


def test_pages_without_a_printed_date_get_none(evaluated) -> None:
    _, report, _ = evaluated
    assert report.date_false <= MAX_INVENTED_DATES, report.format()


def test_analysis_is_fast_enough_for_a_crawl(evaluated) -> None:
    _, report, _ = evaluated
    assert report.ms_per_doc < MAX_MS_PER_DOC
