"""Which KI(s) a release is about.

Places are found with the name variants of kis.json and the 396 municipalities of
municipalities.json (a town points to its Kreis; the city of Aachen to its own KI). Evidence is
ranked: a place attached to a KI term ("KI Kreis Soest", "Integrationszentrum des Kreises
Höxter", "Kölner Kommunales Integrationszentrum") beats a place in the same sentence as a KI
term, which beats a place anywhere in the prose; the page's host is the last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from urllib.parse import urlsplit

from monitor.knowledge import load, pattern

from .terms import SINGULAR, foreign_sentence, ki_matches
from .text import Page

_CONTEXT = re.compile(
    r"(?:\b(?:in|nach|aus|von|bei|Stadt|Gemeinde|Kreisstadt|Hansestadt|zwischen|und)\s+(?:der\s+Stadt\s+)?)$"
)
# What may stand between a KI term and the place it belongs to.
_ATTACH = re.compile(
    r"^[\s(),–»«„“\"-]*(?:(?:KI|kurz KI)[\s),–-]*)?"
    r"(?:(?:der|des|im|in|beim|bei|für|vom|am)\s+)?"
    r"(?:(?:kreisfreien\s+)?(?:Stadt|Gemeinde)\s+)?$"
)
_COORD = re.compile(r"^\s*(?:,|und|sowie)\s+(?:(?:der|des|dem|im)\s+)?$")
# "die Kommunalen Integrationszentren der Städte Bochum und Herne": plural heads before a
# coordination of places (two KIs in one release).
_PLURAL_HEAD = re.compile(r"^\s*(?:der|in\s+den|den)\s+(?:kreisfreien\s+)?(?:Städte[n]?|Kreise[n]?)\s+$")
# Land institutions whose seat is not a KI place: "Bezirksregierung Arnsberg", "landesweite
# Koordinierungsstelle in Essen", "Landtag in Düsseldorf".
_LAND_SEAT = re.compile(
    r"(?:Bezirksregierung(?:en)?|Koordinierungsstelle\w*|LaKI|Landtag\w*|Ministerium\w*|"
    r"Kompetenzzentrum\w*|Staatskanzlei)\s+(?:\([^)]*\)\s+)?(?:in\s+|im\s+|zu\s+)?$"
)
# Contact blocks and footers ("Tel. 02345 ...", "12345 Musterstadt"): a KI address there is
# boilerplate, not what the text is about.
_CONTACT = re.compile(r"\b(?:Tel|Telefon|Fax|E-Mail|Postfach)\b|\b\d{5}\s+[A-ZÄÖÜ]")


# "die gute Zusammenarbeit zwischen dem städtischen Zentrum und dem Kommunalen
# Integrationszentrum der Städteregion", "in Kooperation mit dem KI Kreis Unna": a partner.
_PARTNERSHIP = re.compile(
    r"(?i)\b(?:Zusammenarbeit|Kooperation\w*|Kooperationspartner\w*|Partner\w*|"
    r"gemeinsam\s+mit|zusammen\s+mit|arbeite\w*\s+[^.]{0,40}zusammen)\b"
)


@dataclass(frozen=True)
class Place:
    ki: str
    start: int
    end: int
    form: str


@cache
def _forms() -> tuple[re.Pattern[str], dict[str, str], frozenset[str], dict[str, str]]:
    muni = load("municipalities")
    table: dict[str, str] = {}
    for name, ki in muni["municipalities"].items():
        table[name] = ki
        base = re.sub(r"\s*\(.*\)$|/.*$", "", name)
        table.setdefault(base, ki)
    adjectives: dict[str, str] = {}
    for ki in load("kis")["kis"]:
        for v in ki["variants"]:
            table[v] = ki["name"]  # KI variants win over town names ("Kreis Borken")
        for a in ki["adjectives"]:
            adjectives[a] = ki["name"]
    # A trie instead of 566 alternatives: the regex engine then skips ahead to possible first
    # letters and walks one path (8x faster). Greedy optional tails keep longest-name-first.
    rx = re.compile(r"(?P<p>" + _trie(table) + r")s?(?![\wäöüÄÖÜß])")
    return rx, table, frozenset(muni.get("needs_context", [])), adjectives


def _trie(words: Iterable[str]) -> str:
    """Regex source matching exactly ``words``, longest first where one is a prefix of another."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


_WORDCHAR = re.compile(r"[\wäöüÄÖÜß-]")


@lru_cache(maxsize=4096)
def _places(text: str) -> tuple[Place, ...]:
    rx, table, needs_context, _ = _forms()
    out = []
    pos = 0
    # search() with a start position, not finditer(): a hit inside a word is dropped and the
    # scan resumes one character later, as a leading lookbehind would (which would also
    # disable the engine's first-letter skip).
    while m := rx.search(text, pos):
        start = m.start()
        if start and _WORDCHAR.match(text, start - 1):
            pos = start + 1
            continue
        pos = m.end()
        form = m["p"]
        if form in needs_context and not _CONTEXT.search(text[max(0, start - 30) : start]):
            continue
        out.append(Place(table[form], start, m.end(), form))
    return tuple(out)


def find_places(text: str) -> list[Place]:
    """Places in ``text`` (cached: the same sentence is asked about by several rules)."""
    return list(_places(text))


def _attached(sentence: str, allow_abbrev: bool) -> list[str]:
    """KIs whose place is grammatically attached to a KI term in this sentence."""
    _, table, _, adjectives = _forms()
    terms = ki_matches(sentence, allow_abbrev)
    if not terms:  # most sentences: skip the costly place scan
        return []
    places = find_places(sentence)
    found: list[str] = []
    for term in terms:
        before = sentence[: term.start()].split()
        adj = adjectives.get(before[-1]) if before else None
        # "Mülheimer" next to Köln is Köln-Mülheim, not Mülheim an der Ruhr.
        if adj and not (adj == "Mülheim an der Ruhr" and "Köln" in sentence):
            found.append(adj)
        pos = term.end()
        if core := _CORE.match(sentence, pos):
            found.append(_cores()[core["core"]])
            continue
        for p in places:
            if p.start < pos:
                continue
            gap = sentence[pos : p.start]
            first = pos == term.end()
            if (_ATTACH.match(gap) or _PLURAL_HEAD.match(gap)) if first else _COORD.match(gap):
                found.append(p.ki)
                pos = p.end
            else:
                break
    return found


@cache
def _cores() -> dict[str, str]:
    """The bare names of Kreise that are no town: "Lippe", "Hochsauerland", "Rhein-Erft",
    "Ennepe-Ruhr", "Siegen-Wittgenstein". They name a KI only right after a KI term ("KI
    Lippe", "Kommunales Integrationszentrum Rhein-Erft"): alone they may be a river or region."""
    _, table, _, _ = _forms()
    out = {}
    for ki in load("kis")["kis"]:
        core = re.sub(r"^Kreis\s+|-Kreis$|kreis$|\s+Kreis$", "", ki["name"])
        if core != ki["name"] and core not in table:
            out[core] = ki["name"]
    return out


class _CoreMatcher:
    """Matches a bare Kreis name right after a KI term (built lazily from the knowledge)."""

    @cached_property
    def rx(self) -> re.Pattern[str]:
        names = "|".join(map(re.escape, sorted(_cores(), key=len, reverse=True)))
        return re.compile(rf"\s+(?:(?:im|des)\s+Kreis(?:es)?\s+)?(?P<core>{names})(?![\wäöüß-])")

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return self.rx.match(text, pos)


_CORE = _CoreMatcher()


_RECEIVES = pattern("funding_words", "handover")


def _recipient(money: Iterable[str]) -> str | None:
    """The one KI place in money sentences with a receiving verb, if exactly one."""
    found = {
        p.ki
        for s in money
        if _RECEIVES.search(s) and not foreign_sentence(s)
        for p in find_places(s)
        if not _LAND_SEAT.search(s[max(0, p.start - 60) : p.start])
    }
    return found.pop() if len(found) == 1 else None


def _coordinated(page: Page, a: str, b: str) -> bool:
    """Two KI places joined by "und" / "sowie" / a comma in one sentence ("in Bochum und
    Herne"): one release about two KIs."""
    for s in [page.title, *page.sentences]:
        places = find_places(s)
        for x, y in zip(places, places[1:], strict=False):
            if {x.ki, y.ki} == {a, b} and _COORD.match(s[x.end : y.start]):
                return True
    return False


@dataclass
class KiResult:
    kis: list[str]
    evidence: list[str]


def resolve(page: Page, url: str, allow_abbrev: bool, about_ki: Iterable[str] = (),
            money: Iterable[str] = ()) -> KiResult:  # fmt: skip
    """``about_ki``: sentences that speak of the KI without naming it (the visiting sentence of
    a visit told in two sentences); their places count as places near a KI term. ``money``:
    sentences with a funding amount; on a page that names no KI place, a single place that
    receives the amount there ("Der Kreis Musterland erhält 90.000 Euro") is the KI."""
    direct: Counter[str] = Counter()
    partner: Counter[str] = Counter()  # attached in a sentence about working together
    near: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    about = set(about_ki)
    for s in [page.title, *page.sentences]:
        if foreign_sentence(s):
            continue
        has_term = s in about or bool(ki_matches(s, allow_abbrev))
        if not _CONTACT.search(s):
            (partner if _PARTNERSHIP.search(s) else direct).update(_attached(s, allow_abbrev))
        contact = bool(_CONTACT.search(s))
        for p in find_places(s):
            if _LAND_SEAT.search(s[max(0, p.start - 60) : p.start]):
                continue
            anywhere[p.ki] += 2 if s is page.title else 1
            if has_term and not contact:
                near[p.ki] += 1
    # A KI named only as a partner of the one the text is about is no KI of the release;
    # when every KI is named so, they are the release's KIs.
    direct = direct or partner
    if direct:
        kis = sorted(direct, key=lambda k: (-direct[k], -anywhere[k]))
        return KiResult(kis, [f"KI named with its place: {k}" for k in kis])
    if near:
        best = max(near, key=lambda k: (near[k], anywhere[k]))
        pair = [k for k in near if k != best and near[k] == near[best]]
        both = [best, *pair[:1]] if pair and _coordinated(page, best, pair[0]) else [best]
        return KiResult(both, [f"place in a sentence about the KI: {k}" for k in both])
    if receiver := _recipient(money):
        return KiResult([receiver], [f"the place that receives the money: {receiver}"])
    singular = any(SINGULAR.search(s) for s in [page.title, *page.sentences])
    if singular and anywhere:
        ranked = anywhere.most_common(2)
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            return KiResult([ranked[0][0]], [f"the page's dominant place: {ranked[0][0]}"])
    # The KI's own site speaks for it; statewide pages (plural KIs only) elsewhere name none.
    if not any(ki_matches(s, allow_abbrev) for s in [page.title, *page.sentences]):
        # Programme money without a KI term ("Kreis Lippe erhält ... für das KIM"): the place
        # the headline names. Not the lead: statewide items list "31 Kreise (einschließlich
        # Städteregion Aachen)" there.
        head = Counter(p.ki for p in find_places(page.title))
        ranked = head.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return KiResult([ranked[0][0]], [f"place named in the headline: {ranked[0][0]}"])
        return KiResult([], [])
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for ki in load("kis")["kis"]:
        if any(host == h or host.endswith("." + h) for h in ki["hosts"]):
            return KiResult([ki["name"]], [f"published on the KI's host {host}"])
    return KiResult([], [])
