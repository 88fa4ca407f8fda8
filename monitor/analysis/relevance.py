"""Relevance and type: visit / funding / other / irrelevant, with the sentences that decided.

Order of the rules (each one explainable from the evidence it returns):

1. Not NRW: a page from another state's host, or whose KI mentions all sit in sentences about
   another state -> irrelevant.
2. Relevant only with a KI term in the title or prose (navigation lines do not count) or a
   funding programme in scope (Integrationspauschale, KOMM-AN, KIM, Teilhabe- und
   Integrationsgesetz) in the title or lead. Everything else -> irrelevant.
3. The title frames money (Förderbescheid, Landesmittel, Scheckübergabe, finanziert ...)
   -> funding, even if a minister hands it over.
4. A state/federal office holder and a sentence where a visiting word and a KI term meet with
   nothing like "mit Vertretern des KI" between them -> visit, unless the title announces an
   anniversary, conference, move ... of the KI.
5. Money in the lead and no such title -> funding.
6. Else a KI item -> other; a programme-only item -> irrelevant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from monitor.knowledge import pattern, terms

from .kis import find_places
from .terms import NRW, OTHER_STATE, SCOPE, foreign_sentence, ki_matches
from .text import Page

VISIT = pattern("visit_words", "terms")
BLOCK = pattern("visit_words", "blocking_between")
FUNDING_STRONG = pattern("funding_words", "title_strong")
OTHER_TITLE = pattern("other_title_words", "terms")
EVENT = pattern("visit_words", "event_context")
NEGATIVE_TOPIC = pattern("negative_topics", "terms")


@dataclass
class Signals:
    allow_abbrev: bool
    ki_sentences: list[str] = field(default_factory=list)
    scope_sentences: list[str] = field(default_factory=list)
    visit_sentences: list[str] = field(default_factory=list)
    foreign: str | None = None


def _quote(s: str, n: int = 220) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def visit_target(sentence: str, allow_abbrev: bool) -> bool:
    """A visiting word and a KI term close together, not "mit Vertretern ... des KI"."""
    visits = list(VISIT.finditer(sentence))
    if not visits or EVENT.search(sentence):
        return False
    for k in ki_matches(sentence, allow_abbrev):
        for v in visits:
            a, b = sorted([(v.start(), v.end()), (k.start(), k.end())])
            gap = sentence[a[1] : b[0]]
            if len(gap) <= 120 and not BLOCK.search(gap):
                return True
    return False


def signals(page: Page, url: str) -> Signals:
    texts = [page.title, *page.sentences]
    allow = any(ki_matches(t, False) for t in texts)
    sig = Signals(allow_abbrev=allow)
    host = (urlsplit(url).hostname or "").lower()
    if any(host.endswith(sfx) for sfx in terms("other_states", "foreign_host_suffixes")):
        sig.foreign = f"published on a host outside NRW: {host}"
    whole = "\n".join(texts)
    if (
        not sig.foreign
        and OTHER_STATE.search(whole)
        and not NRW.search(whole)
        and not find_places("\n".join(page.sentences))
    ):
        sig.foreign = f"about another state ({OTHER_STATE.search(whole)[0]}), nothing in NRW"
    for t in texts:
        if ki_matches(t, allow):
            if foreign_sentence(t):
                continue
            sig.ki_sentences.append(t)
            if visit_target(t, allow):
                sig.visit_sentences.append(t)
        if SCOPE.search(t):
            sig.scope_sentences.append(t)
    return sig


@dataclass
class Decision:
    label: str
    evidence: list[str]


def decide(page: Page, sig: Signals, has_visitor: bool) -> Decision:
    ev: list[str] = []
    if sig.foreign:
        return Decision("irrelevant", [sig.foreign])
    head = [page.title, *page.lead]
    scope_in_head = [s for s in sig.scope_sentences if s in head]
    ki_in_head = [s for s in sig.ki_sentences if s in head]
    if sig.ki_sentences and not ki_in_head and len(sig.ki_sentences) < 2:
        ev.append(f"KI named only in passing: {_quote(sig.ki_sentences[0])}")
        sig.ki_sentences = []
    negative = NEGATIVE_TOPIC.search(page.title)
    if negative and page.title not in sig.ki_sentences and not scope_in_head:
        return Decision(
            "irrelevant", [*ev, f"title is about '{negative[0]}', not a KI: {page.title}"]
        )
    if not sig.ki_sentences and not scope_in_head:
        why = "no KI term in the text" + (
            " (programme named only in passing)" if sig.scope_sentences else ""
        )
        return Decision("irrelevant", [*ev, why])
    if sig.ki_sentences:
        term = ki_matches(sig.ki_sentences[0], sig.allow_abbrev)[0][0]
        ev.append(f"KI term '{term}' in: {_quote(sig.ki_sentences[0])}")
    else:
        ev.append(
            f"programme in scope '{SCOPE.search(scope_in_head[0])[0]}' in: "
            f"{_quote(scope_in_head[0])}"
        )
    title_money = FUNDING_STRONG.search(page.title)
    title_other = OTHER_TITLE.search(page.title)
    if title_money:
        return Decision("funding", [*ev, f"title frames money ('{title_money[0]}'): {page.title}"])
    if has_visitor and sig.visit_sentences:
        title_visits = bool(VISIT.search(page.title))
        if not title_other or title_visits:
            return Decision("visit", [*ev, f"visit of the KI: {_quote(sig.visit_sentences[0])}"])
        ev.append(f"visit words, but the title is about '{title_other[0]}'")
    lead_money = next((s for s in page.lead if FUNDING_STRONG.search(s)), None)
    if lead_money and not title_other:
        word = FUNDING_STRONG.search(lead_money)[0]
        return Decision("funding", [*ev, f"lead is about money ('{word}'): {_quote(lead_money)}"])
    if sig.ki_sentences:
        if title_other:
            ev.append(f"title topic '{title_other[0]}': {page.title}")
        return Decision("other", [*ev, "about a KI, neither a visit nor funding"])
    return Decision("irrelevant", [*ev, "programme named but neither KI nor money is the news"])
