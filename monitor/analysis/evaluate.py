"""Scoring the analysis against a labelled corpus (used by ``ki-monitor eval`` and the gate).

Visitors are compared by name (accents folded): roles are free wording in the gold data, so
"Serap Güler (Integrationsstaatssekretärin)" and "Serap Güler (NRW-Integrationsstaatssekretärin)"
are the same visitor. KIs, names and amounts are compared as sets.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field

from . import LABELS, Analysis, analyze
from .corpus import Gold


def _name(v: str) -> str:
    base = v.split("(")[0].strip().casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))


@dataclass
class Report:
    n: int = 0
    per_label: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)
    macro_f1: float = 0.0
    label_acc: float = 0.0
    ki_acc: float = 0.0
    visitors_acc: float = 0.0
    amounts_acc: float = 0.0
    date_acc: float = 0.0
    date_n: int = 0
    date_false: int = 0
    ms_per_doc: float = 0.0
    wrong: list[tuple[str, list[str]]] = field(default_factory=list)
    # confusion[gold][predicted] = number of documents
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def confusion_lines(self) -> list[str]:
        """The confusion matrix, gold labels as rows, predicted labels as columns."""
        cols = [lab[:10] for lab in LABELS]
        out = ["confusion (rows gold, columns predicted):",
               f"  {'':<12}" + "".join(f"{c:>11}" for c in cols)]  # fmt: skip
        for gold in LABELS:
            row = self.confusion.get(gold, {})
            out.append(f"  {gold:<12}" + "".join(f"{row.get(p, 0):>11}" for p in LABELS))
        return out

    def format(self, title: str = "") -> str:
        out = [title] if title else []
        out.append(f"{'label':<12}{'precision':>10}{'recall':>8}{'F1':>8}{'gold n':>8}")
        for lab, (p, r, f, n) in self.per_label.items():
            out.append(f"{lab:<12}{p:>10.3f}{r:>8.3f}{f:>8.3f}{n:>8}")
        out += [
            f"documents                {self.n}",
            f"macro-F1                 {self.macro_f1:.3f}",
            f"label accuracy           {self.label_acc:.3f}",
            f"KI accuracy              {self.ki_acc:.3f}",
            f"visitors exact (names)   {self.visitors_acc:.3f}",
            f"amounts exact            {self.amounts_acc:.3f}",
            f"publication date         {self.date_acc:.3f}  (of {self.date_n} pages that print one;"
            f" {self.date_false} dates invented where none is printed)",
            f"time per document        {self.ms_per_doc:.2f} ms",
            *self.confusion_lines(),
        ]
        if self.wrong:
            out.append("wrong:")
            out += [f"  {doc_id}: {'; '.join(why)}" for doc_id, why in self.wrong]
        return "\n".join(out)


def score(golds: list[Gold], preds: list[Analysis], ms_per_doc: float = 0.0) -> Report:
    rep = Report(n=len(golds), ms_per_doc=ms_per_doc)
    if not golds:
        return rep
    f1s = []
    for lab in LABELS:
        tp = sum(g.label == lab and p.label == lab for g, p in zip(golds, preds, strict=True))
        gold_n = sum(g.label == lab for g in golds)
        pred_n = sum(p.label == lab for p in preds)
        if not gold_n and not pred_n:
            continue
        prec = tp / pred_n if pred_n else 0.0
        rec = tp / gold_n if gold_n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rep.per_label[lab] = (prec, rec, f1, gold_n)
        f1s.append(f1)
    rep.macro_f1 = sum(f1s) / len(f1s)
    for g, p in zip(golds, preds, strict=True):
        row = rep.confusion.setdefault(g.label, {})
        row[p.label] = row.get(p.label, 0) + 1
    ok = {"label": 0, "ki": 0, "visitors": 0, "amounts": 0, "date": 0}
    for g, p in zip(golds, preds, strict=True):
        why = []
        checks = {
            "label": g.label == p.label,
            "ki": set(g.ki) == set(p.ki),
            "visitors": {_name(v) for v in g.visitors} == {_name(v) for v in p.visitors},
            "amounts": {float(a) for a in g.amounts_eur} == {float(a) for a in p.amounts_eur},
        }
        for key, good in checks.items():
            ok[key] += good
            if not good:
                gold_v = getattr(g, key if key != "amounts" else "amounts_eur")
                pred_v = getattr(p, key if key != "amounts" else "amounts_eur")
                why.append(f"{key} gold={gold_v} got={pred_v}")
        if g.published:
            rep.date_n += 1
            ok["date"] += p.published == g.published
            if p.published != g.published:
                why.append(f"published gold={g.published} got={p.published}")
        elif p.published:
            rep.date_false += 1
            why.append(f"published gold=None got={p.published}")
        if why:
            rep.wrong.append((g.id, why))
    rep.label_acc = ok["label"] / rep.n
    rep.ki_acc = ok["ki"] / rep.n
    rep.visitors_acc = ok["visitors"] / rep.n
    rep.amounts_acc = ok["amounts"] / rep.n
    rep.date_acc = ok["date"] / rep.date_n if rep.date_n else 1.0
    return rep


def run(golds: list[Gold]) -> tuple[Report, list[Analysis]]:
    start = time.perf_counter()
    preds = [analyze(g.doc) for g in golds]
    ms = (time.perf_counter() - start) * 1000 / max(1, len(golds))
    return score(golds, preds, ms), preds


def ms_per_doc(golds: list[Gold], rounds: int = 1) -> float:
    """Milliseconds per document for the analysis alone (after a warm-up run)."""
    start = time.perf_counter()
    for _ in range(rounds):
        for g in golds:
            analyze(g.doc)
    return (time.perf_counter() - start) * 1000 / max(1, len(golds) * rounds)
