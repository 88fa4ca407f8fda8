"""Relevance and type: visit / funding / other / irrelevant, with the sentences that decided.

Order of the rules (each one explainable from the evidence it returns):

1. Not NRW: a page from another state's host, or whose KI mentions all sit in sentences about
   another state -> irrelevant. So is a page whose only KI/programme words are ones other states
   use too (a bare "Integrationszentrum"), or that comes from another state's newspaper, when
   nothing on it points to NRW (an NRW word, place, host or Land official).
2. Relevant only with a KI term in the title or prose (navigation lines do not count) or a
   funding programme in scope (Integrationspauschale, KOMM-AN, KIM, Teilhabe- und
   Integrationsgesetz) in the title or lead. Everything else -> irrelevant. So is a page about
   a look-alike (analysis 2026.2: an Integrationsrat or Integrationsagentur opening the body
   and named more often than the KI, :func:`lookalike_subject`).
3. The title frames money (Förderbescheid, Landesmittel, Scheckübergabe, finanziert ...)
   -> funding, even if a minister hands it over; only money for KIs or integration work
   counts (2026.2, :func:`money_in_scope`), in the title as in the lead (step 5).
4. A state/federal office holder and a sentence where a visiting word and a KI term meet with
   nothing like "mit Vertretern des KI" between them, or a paragraph telling it in two sentences
   (the visitor visits in one, the KI is the place in the next) -> visit, unless the title
   announces an anniversary, conference, move ... of the KI.
   A visit told without the KI in the visiting sentence (analysis 2026.1): a sentence naming
   a state/federal visitor with a visiting predicate ("kam in den Kreis", "hieß ...
   willkommen", "Austausch" count only beside a named visitor), bound for the building that
   hosts the KI (Kreishaus, Rathaus, Kreisverwaltung) with the KI named in the title or the
   sentences around; or, under a title that names the KI, such a sentence among the first of
   the body.
5. Money in the lead and no such title -> funding. A title where the Land "stärkt", "sichert",
   "fördert" ... a programme in scope is funding too (the verb before or after the programme:
   "KIM kann starten", "Integrationsarbeit wird mit KOMM-AN gestärkt"); ... a KI, when the
   lead speaks of money. A Bescheid, Scheck or Landesmittel handed to the KI in one of the
   first sentences is funding as well.
6. Else a KI item -> other; a programme-only item -> irrelevant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from monitor.knowledge import load, pattern, terms

from .amounts import AMOUNT, AMOUNT_PRE
from .kis import find_places
from .terms import NRW, OTHER_STATE, SCOPE, foreign_sentence, ki_matches, scope_matches
from .text import Page
from .visitors import mentions_visitor

VISIT = pattern("visit_words", "terms")
BLOCK = pattern("visit_words", "blocking_between")
FUNDING_STRONG = pattern("funding_words", "title_strong")
OTHER_TITLE = pattern("other_title_words", "terms")
EVENT = pattern("visit_words", "event_context")
NEGATIVE_TOPIC = pattern("negative_topics", "terms")
OTHER_TARGET = pattern("visit_words", "other_targets")
PASSAGE_BLOCK = pattern("visit_words", "passage_blocking")
HOST_BLOCK = pattern("visit_words", "host_blocking")
TITLE_SUPPORT = pattern("funding_words", "title_support")
BARE = pattern("needs_nrw_signal", "terms")
NRW_SIGNAL = pattern("nrw_signals", "terms", flags=0)
FOREIGN_SOURCE = pattern("other_states", "sources", flags=0)
WITH_VISITOR = pattern("visit_words", "with_visitor")
HOST_PLACE = pattern("visit_words", "host_places")
HANDOVER = pattern("funding_words", "handover")
DECISION = pattern("funding_words", "decision")
ABBREV_ALONE = pattern("ki_terms", "abbrev_alone", flags=0)
INTEGRATION_CONTEXT = pattern("ki_terms", "integration_context")
# How far into the body a visit under a KI title, or a handed-over grant, must be told.
_OPENING = 4
# Sentences after a visit to the host building in which the KI may be named.
_HOST_WINDOW = 5


@dataclass
class Signals:
    allow_abbrev: bool
    ki_sentences: list[str] = field(default_factory=list)
    scope_sentences: list[str] = field(default_factory=list)
    visit_sentences: list[str] = field(default_factory=list)
    # A visit told in two sentences of one paragraph: (visiting sentence, KI sentence).
    visit_passage: tuple[str, str] | None = None
    # A visit bound for the KI's host administration, or told under a title naming the KI.
    host_visit: str | None = None
    foreign: str | None = None


def _quote(s: str, n: int = 220) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# "Ministerium für Schule und Bildung", "Ministerin für Kinder, Familie ...": the office's
# name, not a school or family centre as the place visited.
_OFFICE_NAME = re.compile(
    r"(?:[Mm]inisteri\w*|[Mm]inister(?:in)?|Staatssekretär(?:in)?|Abteilungsleiter(?:in)?)"
    r"\s+(?:für|des|der)\s+(?:[A-ZÄÖÜ][\wäöüß-]*(?:,\s*|\s+und\s+|\s+|$))+"
)


def other_target(sentence: str) -> re.Match[str] | None:
    """A school, party, shelter ... as the place, office names left out."""
    return OTHER_TARGET.search(_OFFICE_NAME.sub(" ", sentence))


def visit_predicates(sentence: str) -> list[re.Match[str]]:
    """Visiting words in the sentence; the weak ones ("Austausch", "kam", "willkommen") only
    when the sentence itself names a state/federal visitor."""
    found = list(VISIT.finditer(sentence))
    if mentions_visitor(sentence):
        found += WITH_VISITOR.finditer(sentence)
    return found


def visit_target(sentence: str, allow_abbrev: bool) -> bool:
    """A visiting word and a KI term close together, not "mit Vertretern ... des KI"."""
    visits = visit_predicates(sentence)
    if not visits or EVENT.search(sentence):
        return False
    for k in ki_matches(sentence, allow_abbrev):
        for v in visits:
            a, b = sorted([(v.start(), v.end()), (k.start(), k.end())])
            gap = sentence[a[1] : b[0]]
            if len(gap) <= 120 and not BLOCK.search(gap):
                return True
    return False


@cache
def _hosts(*path: str) -> frozenset[str]:
    return frozenset(terms(*path))


def _host_in(host: str, hosts: frozenset[str]) -> bool:
    """``host`` is one of ``hosts`` or a subdomain of one (a set lookup per suffix)."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in hosts for i in range(len(labels) - 1))


@cache
def _nrw_hosts() -> frozenset[str]:
    ki_hosts = [h for ki in load("kis")["kis"] for h in ki["hosts"]]
    return frozenset([*terms("nrw_signals", "hosts"), *ki_hosts])


def nrw_signal(page: Page, url: str) -> str | None:
    """What places the page in NRW, if anything: its host, an NRW word or place anywhere on
    the page (boilerplate included: addresses, newspaper names), or a Land NRW official."""
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".nrw") or _host_in(host, _nrw_hosts()):
        return f"NRW host {host}"
    every = "\n".join([page.title, *page.lines])
    if m := NRW_SIGNAL.search(every):
        return f"NRW named: '{m[0]}'"
    if places := find_places(every):
        return f"NRW place: {places[0].form}"
    for o in load("officials")["officials"]:
        if o["offices"][0]["level"] == "land" and o["name"] in every:
            return f"Land NRW official: {o['name']}"
    return None


def _foreign(page: Page, url: str, texts: list[str]) -> str | None:
    """Why the page is about another state, or None."""
    host = (urlsplit(url).hostname or "").lower()
    if any(host.endswith(sfx) for sfx in terms("other_states", "foreign_host_suffixes")):
        return f"published on a host outside NRW: {host}"
    whole = "\n".join(texts)
    other = OTHER_STATE.search(whole)
    if other and not NRW.search(whole) and not find_places("\n".join(page.sentences)):
        return f"about another state ({other[0]}), nothing in NRW"
    words = [m for t in texts for m in (*ki_matches(t, False), *scope_matches(t))]
    if words and all(BARE.rx.fullmatch(m[0]) for m in words) and not nrw_signal(page, url):
        return f"only '{words[0][0]}', a word other states use too, and nothing on the page in NRW"
    source = _host_in(host, _hosts("other_states", "news_hosts")) and host
    source = source or ((m := FOREIGN_SOURCE.search("\n".join(page.lines))) and m[0])
    if source and not nrw_signal(page, url):
        return f"from another state's media ({source}), nothing on the page in NRW"
    return None


def visit_passage(page: Page, allow_abbrev: bool) -> tuple[str, str] | None:
    """A visit told in two neighbouring sentences: a visitor (or a pronoun right after one)
    with a visiting word, not bound for a school, party, shelter ...; and the KI in the sentence
    before or one of the two after, as the place rather than a participant. Paragraph breaks
    do not end the passage: many sites give every sentence a paragraph of its own."""
    seq = [s for para in page.paragraphs for s in para]
    for i, s in enumerate(seq):
        if (
            not VISIT.search(s)
            or EVENT.search(s)
            or other_target(s)
            or ki_matches(s, allow_abbrev)
            or not (mentions_visitor(s) or (i and mentions_visitor(seq[i - 1])))
        ):
            continue
        for k in seq[max(0, i - 1) : i + 3]:
            if (
                k != s
                and ki_matches(k, allow_abbrev)
                and not foreign_sentence(k)
                and not EVENT.search(k)
                and not PASSAGE_BLOCK.search(k)
            ):
                return s, k
    return None


def host_visit(page: Page, allow_abbrev: bool) -> str | None:
    """A visitor's sentence with a visiting predicate, not about an event or another target,
    that is bound for the KI's host building with the KI named around it ("Minister Max
    Muster kam ins Kreishaus ..." + the KI in the title or the two sentences before/after),
    or that opens the body under a title naming the KI ("Staatssekretärin Eva Probe ließ sich
    am Montag die Arbeit vor Ort zeigen." under "Besuch im Integrationszentrum")."""
    title_ki = bool(ki_matches(page.title, allow_abbrev)) and not foreign_sentence(page.title)
    seq = page.sentences
    for i, s in enumerate(seq):
        if (
            not mentions_visitor(s)
            or EVENT.search(s)
            or other_target(s)
            or PASSAGE_BLOCK.search(s)
            or not visit_predicates(s)
        ):
            continue
        if title_ki and i < _OPENING:
            return s
        # At the host building the KI may be presented to the visitor ("Der Landrat hatte sie
        # eingeladen, um ihr das Integrationszentrum vorzustellen"): an invitation does not
        # break the link there; KI representatives, an event or another state do.
        if HOST_PLACE.search(s) and (
            title_ki
            or any(
                ki_matches(k, allow_abbrev) and not EVENT.search(k) and not foreign_sentence(k)
                and not HOST_BLOCK.search(k)
                for k in seq[max(0, i - 2) : i + _HOST_WINDOW]
            )
        ):  # fmt: skip
            return s
    return None


def abbreviation_alone(texts: list[str]) -> bool:
    """"KI" without the spelled-out term: after a neuter or masculine article or preposition
    ("beim KI", "Mitarbeitende des KI", "das KI") on a page about integration work
    ("Integrationsarbeit", "Zugewanderte"). "Künstliche Intelligenz" is feminine ("der KI",
    "die KI"), so those forms never count. Test: "Besuch beim KI: Ministerin Eva Probe sprach
    über Integrationsarbeit." counts; "Die KI schreibt Texte." does not."""
    return any(ABBREV_ALONE.search(t) for t in texts) and any(
        INTEGRATION_CONTEXT.search(t) for t in texts
    )


def signals(page: Page, url: str) -> Signals:
    texts = [page.title, *page.sentences]
    allow = any(ki_matches(t, False) for t in texts) or abbreviation_alone(texts)
    sig = Signals(allow_abbrev=allow)
    sig.foreign = _foreign(page, url, texts)
    for t in texts:
        if ki_matches(t, allow):
            if foreign_sentence(t):
                continue
            sig.ki_sentences.append(t)
            if visit_target(t, allow):
                sig.visit_sentences.append(t)
        if scope_matches(t):
            sig.scope_sentences.append(t)
    if not sig.visit_sentences and sig.ki_sentences:
        sig.visit_passage = visit_passage(page, allow)
        if not sig.visit_passage:
            sig.host_visit = host_visit(page, allow)
    return sig


def _support(title: str, allow_abbrev: bool) -> tuple[str, str] | None:
    """("stärkt", "programme"|"ki") when a support verb in the title comes before a programme
    in scope or a KI term: "Land stärkt Kommunales Integrationsmanagement" (the KI is the object
    that gets support, unlike "KI stärkt Elternarbeit")."""
    verb = TITLE_SUPPORT.search(title)
    if not verb:
        return None
    if SCOPE.search(title):  # "Land stärkt KIM" and "KIM kann starten" alike
        return verb[0], "programme"
    rest = title[verb.end() :]
    if ki_matches(rest, allow_abbrev):
        return verb[0], "ki"
    return None


def money_is_news(sentence: str) -> bool:
    """A money word told as news: with an amount or a verb that brings the money ("erhält",
    "bewilligt", "stellt ... bereit"). "Das vom Land geförderte Elterncafé öffnet wieder" or
    "Mit Förderung des Landes bietet das KI Kurse an" mention money in passing: a programme
    report, not funding news. "Das Land stellt dem KI 80.000 Euro bereit", "die Finanzierung
    ist bis 2030 gesichert" and a sentence naming a funding programme in scope (KOMM-AN, KIM)
    are news."""
    if not FUNDING_STRONG.search(sentence):
        return False
    if scope_matches(sentence):  # a funding programme in scope is money news by itself
        return True
    return bool(
        AMOUNT.search(sentence) or AMOUNT_PRE.search(sentence) or HANDOVER.search(sentence)
        or DECISION.search(sentence)
    )  # fmt: skip


def money_in_scope(head: list[str], allow_abbrev: bool) -> bool:
    """Is the money for KIs or municipal integration work: do the title and lead (for money
    in the title) or the title and the sentence telling the money (for money in the lead)
    name a KI, a programme in scope, or integration work (Integration, Zugewanderte,
    Geflüchtete)? "Kreis fördert Sportvereine mit 50.000 Euro" atop a press listing, or "Der
    Kreistag hat den Haushalt 2020 verabschiedet", is money for something else, even on a page
    that names the KI further down."""
    return any(
        ki_matches(s, allow_abbrev) or scope_matches(s) or INTEGRATION_CONTEXT.search(s)
        for s in head
    )


def handover(page: Page, allow_abbrev: bool) -> str | None:
    """One of the first body sentences hands money (a Bescheid, Scheck, Landesmittel ...) to a
    KI: "Ministerin Anna Muster überreichte dem Integrationszentrum den Förderbescheid."
    """
    for s in page.sentences[:_OPENING]:
        if (
            FUNDING_STRONG.search(s)
            and HANDOVER.search(s)
            and (ki_matches(s, allow_abbrev) or scope_matches(s))
        ):
            return s
    return None


def lookalike_subject(page: Page, sig: Signals) -> str | None:
    """Why the page is about a look-alike (an Integrationsrat, an Integrationsagentur, a town's
    Integrationsbeauftragte ...) with the KI only beside it, or None. The look-alike opens the
    body and is named more often than the KI, and the title does not name the KI: "Der
    Integrationsrat der Stadt Hamm lädt zur Interkulturellen Woche ein. ... Unterstützt wird
    der Integrationsrat vom Kommunalen Integrationszentrum. ... Der Integrationsrat freut sich
    auf viele Gäste." is about the Integrationsrat."""
    if ki_matches(page.title, sig.allow_abbrev) or not page.lead:
        return None
    opening = NEGATIVE_TOPIC.search(page.lead[0])
    if not opening:
        return None
    body = [page.title, *page.sentences]
    lookalike = sum(len(list(NEGATIVE_TOPIC.finditer(s))) for s in body)
    ki = sum(len(ki_matches(s, sig.allow_abbrev)) for s in body)
    if lookalike > ki:
        return f"about '{opening[0]}' ({lookalike} mentions), the KI only beside it ({ki})"
    return None


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
    if lookalike := lookalike_subject(page, sig):
        return Decision("irrelevant", [*ev, lookalike])
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
    support = _support(page.title, sig.allow_abbrev)
    if title_money and not money_in_scope(head, sig.allow_abbrev):
        ev.append(f"money in the title ('{title_money[0]}'), but neither title nor lead names a "
                  "KI, a programme in scope or integration work")  # fmt: skip
        title_money = None
    if title_money:
        return Decision("funding", [*ev, f"title frames money ('{title_money[0]}'): {page.title}"])
    if support and support[1] == "programme":
        return Decision(
            "funding", [*ev, f"title: '{support[0]}' a programme in scope: {page.title}"]
        )
    visit = sig.visit_sentences[0] if sig.visit_sentences else None
    if visit is None and sig.visit_passage:
        visit = " … ".join(sig.visit_passage)
    visit = visit or sig.host_visit
    if has_visitor and visit:
        title_visits = bool(VISIT.search(page.title))
        if not title_other or title_visits:
            return Decision("visit", [*ev, f"visit of the KI: {_quote(visit, 320)}"])
        ev.append(f"visit words, but the title is about '{title_other[0]}'")
    lead_money = next(
        (s for s in page.lead
         if money_is_news(s) and money_in_scope([page.title, s], sig.allow_abbrev)),
        None,
    )  # fmt: skip
    if lead_money and (not title_other or support):
        word = FUNDING_STRONG.search(lead_money)[0]
        why = f" after '{support[0]}' a KI in the title" if support and title_other else ""
        return Decision(
            "funding", [*ev, f"lead is about money ('{word}'){why}: {_quote(lead_money)}"]
        )
    if handed := handover(page, sig.allow_abbrev):
        return Decision("funding", [*ev, f"money handed to the KI: {_quote(handed)}"])
    if sig.ki_sentences:
        if title_other:
            ev.append(f"title topic '{title_other[0]}': {page.title}")
        return Decision("other", [*ev, "about a KI, neither a visit nor funding"])
    return Decision("irrelevant", [*ev, "programme named but neither KI nor money is the news"])
