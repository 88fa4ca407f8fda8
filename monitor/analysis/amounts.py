"""Euro amounts as numbers: "39,4 Millionen Euro" -> 39400000, "432,8 Mio. €", "750.000 Euro",
"rund zwei Millionen Euro", "1,2 Mrd. EUR". Amounts in sentences about allowances, prizes,
fees or prices (lexicon: amount_exclusions) are not funding. A rounded restatement of an
amount already given precisely ("mehr als 430 Millionen" next to "432,8 Millionen") is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.knowledge import pattern

_WORDS = {"ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
          "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
          "zwanzig": 20, "dreißig": 30, "fünfzig": 50, "hundert": 100}  # fmt: skip
_SCALE = {"million": 10**6, "mio": 10**6, "milliard": 10**9, "mrd": 10**9, "tausend": 10**3,
          "tsd": 10**3}  # fmt: skip
_NUM = r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|" + "|".join(_WORDS) + r")"
_SC = r"(?:\s*(?P<scale>Millionen|Million|Mio\.?|Milliarden|Milliarde|Mrd\.?|Tausend|Tsd\.?))?"
_CUR = r"\s*(?:Euro|EUR|€)(?![\w])"
AMOUNT = re.compile(rf"(?<![\w,.]){_NUM}{_SC}{_CUR}", re.IGNORECASE)
AMOUNT_PRE = re.compile(rf"(?:€|EUR)\s*{_NUM}{_SC}(?![\w])", re.IGNORECASE)


def to_number(num: str, scale: str | None) -> int | float:
    num = num.lower()
    value = float(_WORDS[num]) if num in _WORDS else float(num.replace(".", "").replace(",", "."))
    if scale:
        key = scale.lower().rstrip(".")
        value *= next(v for k, v in _SCALE.items() if key.startswith(k))
    value = round(value, 2)
    return int(value) if value == int(value) else value


@dataclass(frozen=True)
class Amount:
    value: int | float
    surface: str
    sentence: str
    precision: int  # significant digits written, to prefer "432,8" over "430"


def _precision(num: str) -> int:
    digits = re.sub(r"\D", "", num)
    return len(digits.rstrip("0")) or 1


def find(sentences: list[str]) -> tuple[list[Amount], list[str]]:
    """Funding amounts in page order, and the excluded ones as evidence lines."""
    excluded_rx = pattern("amount_exclusions", "terms")
    found: list[Amount] = []
    skipped: list[str] = []
    for s in sentences:
        # Both patterns need a currency word: a substring test skips most sentences cheaply.
        if "€" not in s and "eur" not in s.lower():
            continue
        for rx in (AMOUNT, AMOUNT_PRE):
            for m in rx.finditer(s):
                if excluded_rx.search(s):
                    skipped.append(f"not funding ({excluded_rx.search(s)[0]}): {m[0]}")
                    continue
                found.append(Amount(to_number(m["num"], m["scale"]), m[0], s, _precision(m["num"])))
    kept: list[Amount] = []
    for a in found:
        twin = next(
            (k for k in kept if abs(k.value - a.value) <= 0.015 * max(k.value, a.value)), None
        )
        if twin is None:
            kept.append(a)
        elif a.precision > twin.precision:
            kept[kept.index(twin)] = a
    return kept, skipped
