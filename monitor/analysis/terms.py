"""Finding KI terms and programme terms in text (lexicon: ki_terms, scope_programmes)."""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.knowledge import pattern

STRONG = pattern("ki_terms", "strong")
# "KI" is case-sensitive: lowercase "ki" is never the abbreviation.
ABBREV = pattern("ki_terms", "abbrev", flags=0)
SCOPE = pattern("scope_programmes", "terms")
NRW = pattern("nrw_markers", flags=0)
OTHER_STATE = pattern("other_states", "terms", flags=0)
SINGULAR = re.compile(r"(?i)integrationszentrum(?:s)?\b|(?<![\w-])KI(?![\w-])")


# Several rules ask about the same sentence (relevance, visit, KI resolution): the scans are
# cached per sentence. The size covers the longest pages; entries are immutable tuples.
_CACHE = 1024


@lru_cache(maxsize=_CACHE)
def ki_matches(text: str, allow_abbrev: bool) -> tuple[re.Match[str], ...]:
    """KI mentions in ``text``; the abbreviation only when the page also spells the term out."""
    found = _strong(text)
    if not allow_abbrev:
        return found
    extra = [m for m in ABBREV.finditer(text) if not _inside(m, found)]
    return tuple(sorted([*found, *extra], key=lambda m: m.start())) if extra else found


@lru_cache(maxsize=_CACHE)
def scope_matches(text: str) -> tuple[re.Match[str], ...]:
    """Funding programmes in scope named in ``text``."""
    return tuple(SCOPE.finditer(text))


@lru_cache(maxsize=_CACHE)
def _strong(text: str) -> tuple[re.Match[str], ...]:
    return tuple(STRONG.finditer(text))


def _inside(m: re.Match[str], others: tuple[re.Match[str], ...]) -> bool:
    return any(o.start() <= m.start() < o.end() for o in others)


@lru_cache(maxsize=_CACHE)
def foreign_sentence(sentence: str) -> bool:
    """A sentence placing its subject in another state and not in NRW."""
    return bool(OTHER_STATE.search(sentence)) and not NRW.search(sentence)
