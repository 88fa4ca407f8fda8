"""Finding KI terms and programme terms in text (lexicon: ki_terms, scope_programmes)."""

from __future__ import annotations

import re

from monitor.knowledge import pattern

STRONG = pattern("ki_terms", "strong")
# "KI" is case-sensitive: lowercase "ki" is never the abbreviation.
ABBREV = pattern("ki_terms", "abbrev", flags=0)
SCOPE = pattern("scope_programmes", "terms")
NRW = pattern("nrw_markers", flags=0)
OTHER_STATE = pattern("other_states", "terms", flags=0)
SINGULAR = re.compile(r"(?i)integrationszentrum(?:s)?\b|(?<![\w-])KI(?![\w-])")


def ki_matches(text: str, allow_abbrev: bool) -> list[re.Match[str]]:
    """KI mentions in ``text``; the abbreviation only when the page also spells the term out."""
    found = list(STRONG.finditer(text))
    if allow_abbrev:
        found += [m for m in ABBREV.finditer(text) if not _inside(m, found)]
    return sorted(found, key=lambda m: m.start())


def _inside(m: re.Match[str], others: list[re.Match[str]]) -> bool:
    return any(o.start() <= m.start() < o.end() for o in others)


def foreign_sentence(sentence: str) -> bool:
    """A sentence placing its subject in another state and not in NRW."""
    return bool(OTHER_STATE.search(sentence)) and not NRW.search(sentence)
