"""The analysis explains itself in English (its rules, tests and ``ki-monitor eval`` speak it);
feed readers read German. This turns each evidence line of a feed entry into German: the
analysis' fixed phrases are translated, the quoted page text stays as it was. A line no rule
knows is shown under a German lead-in rather than dropped."""

from __future__ import annotations

import re
from datetime import date

RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), r) for p, r in (
    (r"^KI term '(?P<a>[^']*)' in: (?P<b>.*)$", r"KI-Begriff „\g<a>“ in: \g<b>"),
    (r"^KI named only in passing: (?P<b>.*)$", r"KI nur beiläufig erwähnt: \g<b>"),
    (r"^KI named with its place: (?P<b>.*)$", r"KI mit Ortsnamen genannt: \g<b>"),
    (r"^place in a sentence about the KI: (?P<b>.*)$", r"Ort in einem Satz über das KI: \g<b>"),
    (r"^the page's dominant place: (?P<b>.*)$", r"häufigster Ort der Seite: \g<b>"),
    (r"^place named in the headline: (?P<b>.*)$", r"Ort in der Überschrift: \g<b>"),
    (r"^visit of the KI: (?P<b>.*)$", r"Besuch im KI: \g<b>"),
    (r"^visit words, but the title is about '(?P<a>[^']*)'$", r"Besuchswörter, aber der Titel handelt von „\g<a>“"),
    (r"^title frames money \('(?P<a>[^']*)'\): (?P<b>.*)$", r"Titel spricht von Geld („\g<a>“): \g<b>"),
    (r"^title: '(?P<a>[^']*)' a programme in scope: (?P<b>.*)$", r"Titel: „\g<a>“ eines einschlägigen Programms: \g<b>"),
    (r"^lead is about money \('(?P<a>[^']*)'\) after '(?P<c>[^']*)' a KI in the title: (?P<b>.*)$",
     r"Vorspann spricht von Geld („\g<a>“) nach „\g<c>“ eines KI im Titel: \g<b>"),
    (r"^lead is about money \('(?P<a>[^']*)'\): (?P<b>.*)$", r"Vorspann spricht von Geld („\g<a>“): \g<b>"),
    (r"^programme in scope '(?P<a>[^']*)' in: (?P<b>.*)$", r"einschlägiges Programm „\g<a>“ in: \g<b>"),
    (r"^title topic '(?P<a>[^']*)': (?P<b>.*)$", r"Thema des Titels „\g<a>“: \g<b>"),
    (r"^title is about '(?P<a>[^']*)', not a KI: (?P<b>.*)$", r"Titel handelt von „\g<a>“, nicht von einem KI: \g<b>"),
    (r"^visitor: (?P<b>.*)$", r"Besuch von: \g<b>"),
    (r"^not funding \((?P<a>[^)]*)\): (?P<b>.*)$", r"keine Förderung („\g<a>“): \g<b>"),
    (r"^NRW host (?P<b>.*)$", r"Website in NRW: \g<b>"),
    (r"^NRW named: '(?P<a>[^']*)'$", r"NRW genannt: „\g<a>“"),
    (r"^NRW place: (?P<b>.*)$", r"Ort in NRW: \g<b>"),
    (r"^Land NRW official: (?P<b>.*)$", r"Amtsträger des Landes NRW: \g<b>"),
)]
EVENT_DATE = re.compile(r"^event date (\d{4}-\d\d-\d\d)$")
AMOUNT = re.compile(r"^amount (.*) -> (\d+(?:\.\d+)?)$")


def german(line: str) -> str:
    """One evidence line in German."""
    if m := EVENT_DATE.match(line):
        return f"Datum des Ereignisses: {date.fromisoformat(m[1]):%d.%m.%Y}"
    if m := AMOUNT.match(line):
        euros = f"{float(m[2]):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".").removesuffix(",00")
        return f"Betrag: {m[1]} (= {euros} €)"
    for pattern, replacement in RULES:
        if pattern.match(line):
            return pattern.sub(replacement, line, count=1)
    return f"Regel: {line}"
