"""Cutting a page text into what the rules look at: prose sentences, the title, the lead.

Scraped pages carry navigation, share bars, contact blocks and, on land.nrw, every paragraph
twice. Short lines without sentence punctuation are treated as navigation and never make a
page relevant; repeated lines are kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ABBREV = {
    "dr", "prof", "st", "nr", "mio", "mrd", "ca", "bzw", "z.b", "u.a", "v.l.n.r", "v.l", "e.v",
    "str", "tel", "abs", "gem", "inkl", "evtl", "sog", "bspw", "vgl", "fa", "hr", "fr", "jan",
    "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez", "a.d", "i.a",
    "rhld", "westf", "gmbh", "co", "kg", "mdl", "mdb", "tsd", "min", "max", "ggf", "usw", "etc",
}  # fmt: skip
_SPLIT = re.compile(r"(?<=[.!?…])(?P<q>[“\"»)]?)\s+(?=[„\"»(]?[A-ZÄÖÜ0-9])")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß-]*")


def split_sentences(line: str) -> list[str]:
    """German sentence split that survives ordinals ("2. August"), Dr., Mio. and v.l.n.r."""
    out: list[str] = []
    start = 0
    for m in _SPLIT.finditer(line):
        before = line[start : m.start()].rstrip()
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        token = last.lstrip('([„"»').rstrip(".").lower()
        if (
            re.fullmatch(r"\d{1,2}", token)
            or token in _ABBREV
            or len(token) == 1
            or re.fullmatch(r"(\w\.)+\w?", token)
        ):
            continue
        out.append(line[start : m.start() + len(m["q"])].strip())
        start = m.end()
    tail = line[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


# Menus and related-link boxes: "Aktuelles · Pressemitteilungen · Kommunales
# Integrationszentrum · Jobs", "Bürgerservice | Kreishaus | Soziales"; teasers of other
# releases: "12.04.2023 – Kreistag beschließt Schulentwicklungsplan".
_MENU_CUT = re.compile(r"\s+[·|•>»]\s+|\s*[·|•]\s*")
_TEASER = re.compile(r"^\s*\d{1,2}\.\s*(?:\d{1,2}\.|[A-Za-zäÄ]+)\s*\d{2,4}\s*[–-]\s+\S")


def is_navigation(line: str) -> bool:
    """A menu, breadcrumb or link list (three or more short items cut by "·", "|", ">"), or a
    teaser line of another release ("12.04.2023 – Kreistag beschließt ..."): boilerplate,
    whatever words it holds. Tests: "Navigation: Aktuelles · Pressemitteilungen · Kommunales
    Integrationszentrum · Gesundheitsamt · Jobs beim Kreis" is navigation; "Das Zentrum berät
    Eltern, Schulen und Kitas." is not."""
    if _TEASER.match(line) and not re.search(r"[.!?]\s*$", line):
        return True
    items = [i for i in _MENU_CUT.split(line) if i.strip()]
    return len(items) >= 4 and all(len(_WORD.findall(i)) <= 5 for i in items)


def is_prose(line: str) -> bool:
    """Running text rather than a menu entry, button or heading."""
    if is_navigation(line):
        return False
    words = _WORD.findall(line)
    if len(words) >= 9:
        return True
    return len(words) >= 4 and bool(re.search(r"[.!?:“\"…]\s*$", line.strip()))


@dataclass
class Page:
    title: str
    lines: list[str]  # unique non-empty lines, page order
    prose: list[str] = field(default_factory=list)  # prose lines
    sentences: list[str] = field(default_factory=list)  # prose sentences, unique, page order
    lead: list[str] = field(default_factory=list)  # the first prose sentences after the title
    # The sentences of each prose line (a paragraph), repeats included: passages for rules
    # that look beyond one sentence.
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.prose)


def headline(text: str) -> str:
    """First line that reads like a headline, for documents that come without a title."""
    for line in text.splitlines():
        line = line.strip()
        words = [w for w in _WORD.findall(line) if len(w) > 1]
        if len(words) >= 4 and "©" not in line and not re.match(r"(?i)seite\s+\d", line):
            return line
    return ""


def segment(title: str, text: str, lead_size: int = 3) -> Page:
    seen: set[str] = set()
    lines: list[str] = []
    for raw in (text or "").splitlines():
        line = re.sub(r"\s+", " ", raw).strip(" \t•·*|")
        if line and line not in seen:
            seen.add(line)
            lines.append(line)
    title = re.sub(r"\s+", " ", title or "").strip() or headline(text)
    page = Page(title=title, lines=lines)
    sent_seen: set[str] = set()
    for line in lines:
        if not is_prose(line):
            continue
        page.prose.append(line)
        sents = split_sentences(line)
        page.paragraphs.append(sents)
        for s in sents:
            if s not in sent_seen:
                sent_seen.add(s)
                page.sentences.append(s)
    page.lead = [s for s in page.sentences if s != title and not title.startswith(s)][:lead_size]
    return page
