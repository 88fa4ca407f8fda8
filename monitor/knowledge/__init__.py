"""Knowledge the analysis reads: KIs and their name variants, NRW municipalities, officials
with periods of office, and the word lexicon. Plain JSON files next to this module, so a
maintainer can extend them without touching the rules. Loaded once, no network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parsed ``<name>.json`` from this package."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


def terms(*path: str) -> list[str]:
    """A list from lexicon.json, e.g. ``terms("funding_words", "terms")``."""
    node: Any = load("lexicon")
    for key in path:
        node = node[key]
    return list(node)


_START = r"(?<![\wäöüÄÖÜß-])"
_END = r"(?![\wäöüÄÖÜß])"
# Texts whose case folding goes beyond str.lower() (dotless i, long s, micro sign, Greek ...):
# for them the lower-case shortcut could miss a match, so they take the plain regex.
_FOLD_UNSAFE = re.compile(r"[^\x00-\xb4\xb6-\u012f\u0132-\u017e\u2000-\u206f\u20ac]")


class Lexicon:
    """A lexicon list as one regex matching whole words; ``search``/``finditer`` return the
    matches of :attr:`rx` exactly, only faster.

    A leading lookbehind or IGNORECASE stops the regex engine from skipping ahead to possible
    first letters, so it tries every alternative at every position. A locator without the
    lookbehind, case-sensitive on the lower-cased text, finds the candidate positions; the
    full pattern confirms each one (3-4x faster on a sentence).
    """

    def __init__(self, alternatives: list[str], flags: int) -> None:
        body = "(?:" + "|".join(alternatives) + ")" + _END
        self.rx = re.compile(_START + body, flags)
        # Upper-case escapes (\S, \W, \D ...) would change meaning when lower-cased.
        self._lower = bool(flags & re.IGNORECASE) and not re.search(r"\\[A-Z]", body)
        alts = [a.lower() for a in alternatives] if self._lower else alternatives
        self._locate = re.compile(
            _by_first_letter(alts) + _END, flags & ~re.IGNORECASE if self._lower else flags
        )

    @property
    def pattern(self) -> str:
        return self.rx.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._lower and _FOLD_UNSAFE.search(text):
            yield from self.rx.finditer(text)
            return
        hay = text.lower() if self._lower else text
        pos = 0
        while loc := self._locate.search(hay, pos):
            m = self.rx.match(text, loc.start())
            if m is None:
                pos = loc.start() + 1
                continue
            yield m
            pos = max(m.end(), m.start() + 1)

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def _by_first_letter(alternatives: list[str]) -> str:
    """``besuch|begrüßte|station`` as ``b(?:esuch|egrüßte)|s(?:tation)``: the engine then
    tries one group per position instead of every entry. Only for the locator, which needs
    the leftmost position where any entry matches, not which entry wins there."""
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for alt in alternatives:
        # A plain first letter, not quantified, in an entry without its own top-level "|".
        if "|" not in alt and re.match(r"[^\W\d_](?![?*+{])", alt):
            groups.setdefault(alt[0], []).append(alt[1:])
        else:
            rest.append(alt)
    parts = [re.escape(c) + "(?:" + "|".join(tails) + ")" for c, tails in groups.items()]
    return "(?:" + "|".join([*parts, *rest]) + ")"


@cache
def pattern(*path: str, flags: int = re.IGNORECASE) -> Lexicon:
    """One alternation of a lexicon list, matching whole words only (entries that mean a word
    family say so themselves: ``Förder\\w*``)."""
    return Lexicon(sorted(terms(*path), key=len, reverse=True), flags)
