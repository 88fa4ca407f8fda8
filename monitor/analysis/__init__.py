"""Understanding a release: label, KI(s), visitors, amounts, dates and the evidence for them.

Explainable rules over the knowledge files in ``monitor/knowledge`` (no model, no network);
about a few milliseconds per document. Public API: :class:`Document`, :class:`Analysis`,
:func:`analyze`, :data:`ANALYSIS_VERSION`; event matching lives in :mod:`.events`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import amounts, eventdate, kis, pubdate, relevance, visitors
from .text import segment

# Bump whenever rules or knowledge files change: ``ki-monitor reanalyze`` re-runs stored
# releases whose analysis carries an older version.
ANALYSIS_VERSION = "2026.2"

LABELS = ("visit", "funding", "other", "irrelevant")


@dataclass
class Document:
    url: str
    title: str
    text: str
    published: dt.date | None = None
    html: str | None = None


@dataclass
class Analysis:
    label: str  # visit|funding|other|irrelevant
    ki: list[str] = field(default_factory=list)  # registry names
    visitors: list[str] = field(default_factory=list)  # "Name (role)"
    amounts_eur: list[int | float] = field(default_factory=list)
    published: dt.date | None = None
    event_date: dt.date | None = None
    evidence: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "ki": list(self.ki),
            "visitors": list(self.visitors),
            "amounts_eur": list(self.amounts_eur),
            "published": self.published.isoformat() if self.published else None,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "evidence": list(self.evidence),
            "analysis_version": ANALYSIS_VERSION,
        }


def _office_years(found: list[visitors.Visitor]) -> range | None:
    """Years any found visitor held office, to place a year-less weekday date."""
    years: set[int] = set()
    for v in found:
        for o in visitors.officials():
            if o.name == (v.listed or v.name):
                for _, start, end in o.offices:
                    years.update(range(start.year, (end or dt.date.today()).year + 1))
    return range(min(years), max(years) + 1) if years else None


def analyze(doc: Document) -> Analysis:
    page = segment(doc.title, doc.text)
    published = doc.published or pubdate.find(doc.text, doc.html, doc.url, doc.title)
    sig = relevance.signals(page, doc.url)
    flags = [s in sig.visit_sentences or s == sig.host_visit or bool(relevance.visit_predicates(s))
             for s in page.sentences]  # fmt: skip
    people = visitors.find(page.title, page.sentences, flags, published)
    decision = relevance.decide(page, sig, has_visitor=bool(people))
    label, evidence = decision.label, list(decision.evidence)
    result = Analysis(label=label, published=published, evidence=evidence)
    if label == "irrelevant":
        return result
    passage: tuple[str, ...] = ()
    if label == "visit":
        # The sentences telling the visit name the places visited, KI term or not.
        passage = tuple(sig.visit_passage or ()) + tuple(
            s for s, f in zip(page.sentences, flags, strict=True)
            if f and visitors.mentions_visitor(s)
        )  # fmt: skip
    money, skipped = amounts.find(page.sentences)
    paying = [a.sentence for a in money] if label == "funding" else []
    found = kis.resolve(page, doc.url, sig.allow_abbrev, passage, paying)
    result.ki = found.kis
    evidence.extend(found.evidence)
    listed = amounts.per_ki(page.lines) if label == "funding" else []
    if len(listed) >= 2:  # a list of allocations per KI: those KIs, those amounts
        result.ki = list(dict.fromkeys(ki for ki, _ in listed))
        evidence.extend(f"allocation listed for {ki}: {a.sentence}" for ki, a in listed)
        known = {a.value for a in money}
        money += [a for _, a in listed if a.value not in known]
    if label == "visit":
        result.visitors = [v.label() for v in people]
        evidence.extend(f"visitor: {v.label()}" for v in people)
    result.amounts_eur = [a.value for a in money]
    evidence.extend(f"amount {a.surface} -> {a.value}" for a in money)
    evidence.extend(skipped)
    ordered = [
        *sig.visit_sentences,
        *[s for s, f in zip(page.sentences, flags, strict=True) if f],
        *page.lead,
    ]
    result.event_date = eventdate.find(ordered, published, _office_years(people))
    if result.event_date and result.event_date != published:
        evidence.append(f"event date {result.event_date.isoformat()}")
    return result


__all__ = ["ANALYSIS_VERSION", "LABELS", "Analysis", "Document", "analyze"]
