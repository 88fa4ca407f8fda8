"""Knowledge the analysis reads: KIs and their name variants, NRW municipalities, officials
with periods of office, and the word lexicon. Plain JSON files next to this module, so a
maintainer can extend them without touching the rules. Loaded once, no network."""

from __future__ import annotations

import json
import re
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


@cache
def pattern(*path: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One compiled alternation of a lexicon list, matching whole words only (entries that
    mean a word family say so themselves: ``Förder\\w*``)."""
    alts = sorted(terms(*path), key=len, reverse=True)
    return re.compile(r"(?<![\wäöüÄÖÜß-])(?:" + "|".join(alts) + r")(?![\wäöüÄÖÜß])", flags)
