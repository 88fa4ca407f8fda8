"""Euro amounts as numbers: "39,4 Millionen Euro" -> 39400000, "432,8 Mio. €", "750.000 Euro",
"rund zwei Millionen Euro", "1,2 Mrd. EUR", "rund 480 000 Euro" (a space between thousands).
Amounts in sentences about allowances, prizes, fees or prices (lexicon: amount_exclusions) are
not funding. A rounded restatement of an amount already given precisely ("mehr als 430
Millionen" next to "432,8 Millionen") is dropped.

Not funding either (analysis 2026.2), each a class of phrasing:

- nothing: "0 Euro", "0,00 €" (a form's empty field, "kostet 0 Euro");
- a difference, not a level: "1,7 Millionen Euro weniger als 2024", "500.000 Euro mehr";
  "Jedes Zentrum verliert damit gut 31.000 Euro";
- a ceiling per application: "Ein Antrag kann bis zu 5.000 Euro umfassen", "maximal 2.500 Euro
  je Projekt".

Per-KI lists count: lines "Kreis Gütersloh: 498.700 Euro" below a release (:func:`per_ki`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.knowledge import pattern

from .kis import find_places

_WORDS = {"ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
          "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
          "zwanzig": 20, "dreißig": 30, "fünfzig": 50, "hundert": 100}  # fmt: skip
_SCALE = {"million": 10**6, "mio": 10**6, "milliard": 10**9, "mrd": 10**9, "tausend": 10**3,
          "tsd": 10**3}  # fmt: skip
_NUM = (
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|"
    r"\d+(?:,\d+)?|" + "|".join(_WORDS) + r")"
)
_SC = r"(?:\s*(?P<scale>Millionen|Million|Mio\.?|Milliarden|Milliarde|Mrd\.?|Tausend|Tsd\.?))?"
_CUR = r"\s*(?:Euro|EUR|€)(?![\w])"
AMOUNT = re.compile(rf"(?<![\w,.]){_NUM}{_SC}{_CUR}", re.IGNORECASE)
AMOUNT_PRE = re.compile(rf"(?:€|EUR)\s*{_NUM}{_SC}(?![\w])", re.IGNORECASE)


def to_number(num: str, scale: str | None) -> int | float:
    num = num.lower()
    digits = re.sub(r"[.\s\u00a0\u202f]", "", num)
    value = float(_WORDS[num]) if num in _WORDS else float(digits.replace(",", "."))
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
    hedged: bool = False  # "rund", "mehr als", "knapp" before it: a rounded figure


_DIFFERENCE_AFTER = re.compile(r"\s*(?:weniger|mehr)\b(?!\s+(?:für|an|aus))", re.IGNORECASE)
_DIFFERENCE = re.compile(r"(?i)\b(?:verlier\w*|verlor\w*)\b")
_HEDGE = re.compile(r"(?i)\b(?:rund|mehr\s+als|über|knapp|fast|etwa|ca\.|nahezu|gut|fast)\s+$")
_CEILING_BEFORE = re.compile(r"(?i)\b(?:bis\s+zu|maximal|höchstens)\s+$")
_PER_APPLICATION = re.compile(r"(?i)\b(?:Antrag|Anträge|je\s+Projekt|pro\s+Projekt|je\s+Maßnahme|pro\s+Maßnahme)\b")


def not_funding(sentence: str, m: re.Match[str]) -> str | None:
    """Why the amount ``m`` in ``sentence`` is no funding (see the module doc), or None."""
    if to_number(m["num"], m["scale"]) == 0:
        return "nothing"
    if _DIFFERENCE_AFTER.match(sentence, m.end()) or _DIFFERENCE.search(sentence):
        return "a difference"
    if _CEILING_BEFORE.search(sentence[max(0, m.start() - 20) : m.start()]) and _PER_APPLICATION.search(
        sentence
    ):
        return "a ceiling per application"
    return None


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
                if why := not_funding(s, m):
                    skipped.append(f"not funding ({why}): {m[0]}")
                    continue
                hedged = bool(_HEDGE.search(s[max(0, m.start() - 12) : m.start()]))
                value = to_number(m["num"], m["scale"])
                found.append(Amount(value, m[0], s, _precision(m["num"]), hedged))
    kept: list[Amount] = []
    for a in found:
        # Only a hedged figure restates another one: "63 Mio." beside "63,4 Mio." may be two.
        twin = next(
            (k for k in kept if abs(k.value - a.value) <= 0.015 * max(k.value, a.value)
             and (k.hedged or a.hedged or k.value == a.value)),
            None,
        )  # fmt: skip
        if twin is None:
            kept.append(a)
        elif a.precision > twin.precision:
            kept[kept.index(twin)] = a
    return kept, skipped


_LIST_LINE = re.compile(r"^(?P<place>[^:–]{3,60}?)(?:\s*:\s*|\s+[–-]\s+)(?P<amount>.+?)\s*$")


def per_ki(lines: list[str]) -> list[tuple[str, Amount]]:
    """(KI, amount) for list lines naming one KI place and one amount, nothing else:
    "Stadt Bielefeld: 512.400 Euro", "Kreis Höxter – 178.200 €". Test: "Kreis Lippe: 467.300
    Euro" gives (Kreis Lippe, 467300); "Kontakt: 0521 51-0" and "Eintritt: 5 Euro" give none."""
    out = []
    for line in lines:
        m = _LIST_LINE.match(line)
        if not m or not ("€" in line or "euro" in line.lower()):
            continue
        money = AMOUNT.fullmatch(m["amount"]) or AMOUNT_PRE.fullmatch(m["amount"])
        places = find_places(m["place"])
        if not money or len(places) != 1 or not _covers(m["place"], places[0].start, places[0].end):
            continue
        value = to_number(money["num"], money["scale"])
        if value:
            out.append((places[0].ki, Amount(value, money[0], line, _precision(money["num"]))))
    return out


def _covers(text: str, start: int, end: int) -> bool:
    """The place is all the text says, but for "Stadt", "Kreis" or an article around it."""
    rest = (text[:start] + " " + text[end:]).split()
    return all(w in {"Stadt", "Kreis", "Städteregion", "der", "die"} for w in rest)
