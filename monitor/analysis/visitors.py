"""Who visits: state and federal office holders, as "Name (role)".

Two sources: the officials of officials.json (full name or alias, or role word + surname; the
office must cover the page's date unless the text itself gives a visitor role) and any
"<visitor role> Firstname Lastname" / "Firstname Lastname, <visitor role>" in the text. Hosts
(Landrat, Bürgermeister, Dezernent, KI staff, MdL ...) have other role words and are never
returned. Only persons mentioned in the title or in a sentence about the visit count; if none
is, the most mentioned office holder does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from monitor.knowledge import load, terms

# 1:1 character folding keeps string positions stable.
_FOLD = str.maketrans("ğĞşŞıİçÇéÉèáàóòúñ", "gGsSiIcCeEeaaoouñ")
_FOLDABLE = re.compile("[ğĞşŞıİçÇéÉèáàóòúñ]")
_NAME = r"(?:Dr\.\s+)?[A-ZÄÖÜ][a-zäöüßğşıçé]+(?:-[A-ZÄÖÜ][a-zäöüßğşıçé]+)?"
_NOT_NAME = {"Station", "Besuch", "Integration", "Schule", "Bildung", "Kinder", "Familie", "NRW",
             "Das", "Die", "Der", "Den", "Dem", "Im", "In", "Und", "Mit", "Bei", "Am", "Auf",
             "Flüchtlinge", "Migration", "Jugend", "Gleichstellung", "Flucht", "Arbeit", "Soziales",
             "Gesundheit", "Weiterbildung", "Frauen", "Generationen", "Kommunales", "Heimat",
             "Bau", "Landes", "Nordrhein-Westfalen", "Land", "Bundes", "Bundesregierung",
             "Landesregierung", "Ministerium", "Staatskanzlei", "Frau", "Herr", "Sie", "Er",
             "Heute", "Gestern", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag",
             "Samstag", "Sonntag", "Zu", "Vor", "Nach", "Beim", "Zum", "Zur", "Als", "Auch"}  # fmt: skip


@dataclass(frozen=True)
class Official:
    name: str
    aliases: tuple[str, ...]
    offices: tuple[tuple[str, dt.date, dt.date | None], ...]

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    def role_at(self, day: dt.date | None) -> str | None:
        if day is None:
            return self.offices[-1][0]
        for role, start, end in self.offices:
            if start - dt.timedelta(days=31) <= day <= (end or dt.date.max) - dt.timedelta(days=0):
                return role
        return None


@cache
def officials() -> tuple[Official, ...]:
    out = []
    for o in load("officials")["officials"]:
        offices = tuple(
            (f["role"], dt.date.fromisoformat(f["from"]),
             dt.date.fromisoformat(f["to"]) if f["to"] else None)
            for f in o["offices"]
        )  # fmt: skip
        out.append(Official(o["name"], tuple(o["aliases"]), offices))
    return tuple(out)


@cache
def _role_rx() -> re.Pattern[str]:
    sfx = "|".join(sorted(terms("visitor_roles", "suffixes"), key=len, reverse=True))
    phrases = "|".join(terms("visitor_roles", "phrases"))
    return re.compile(
        rf"(?<![\wäöüß])(?P<role>(?:NRW-|Bundes-?)?[\wäöüßÄÖÜ-]*?(?:{sfx.title()}|{sfx})|{phrases})"
        r"(?![\wäöüß])"
    )


def _visitor_role(text: str) -> str | None:
    """The role word if it is a visitor role (not Bürgermeister, Ex-Minister ...)."""
    m = _role_rx().fullmatch(text)
    if not m:
        return None
    role = m["role"]
    bad = terms("visitor_roles", "not_visitor_prefixes")
    if any(role.lower().startswith(b.lower()) for b in bad) and "präsident" not in role.lower():
        return None
    return role


@dataclass
class Visitor:
    name: str  # as the text prints it ("Dr. Joachim Stamp", "Zülfiye Kaykın")
    role: str
    mentions: int
    in_visit_context: bool
    listed: str | None = None  # the name in officials.json, when the visitor is listed

    def label(self) -> str:
        return f"{self.name} ({self.role})"


@cache
def _role_needles() -> re.Pattern[str]:
    """Lower-case words every role match contains: the suffixes and the phrases' first words."""
    heads = [re.match(r"[\wäöüß]+", p) for p in terms("visitor_roles", "phrases")]
    words = [*(s.lower() for s in terms("visitor_roles", "suffixes")),
             *(h[0].lower() for h in heads if h)]  # fmt: skip
    return re.compile("|".join(map(re.escape, words)))


# After a role word: the name, possibly after the office's complement ("Staatssekretär für
# Integration Thorsten Klute", "Staatsministerin für Migration, Flüchtlinge und Integration,
# Aydan Özoğuz", "Ministerin im Schulministerium Anna Muster").
_AFTER_ROLE = re.compile(
    rf"\s+(?P<name>(?:{_NAME})(?:\s+{_NAME}){{0,2}})(?![\wäöüß-])"
    r"|\s+(?:für|im|des|der|beim)(?:\s+(?:und|[A-ZÄÖÜ][\wäöüß-]*),?){1,8}?"
    rf"\s+(?P<full>(?:{_NAME})(?:\s+{_NAME}){{1,2}})(?![\wäöüß-])"
)
_NOUN_ENDINGS = re.compile(
    r"(?:ung|ungen|heit|keit|schaft|tion|ium|iums|ität|ik|ismus|ort|land|amt|zentrum|zentrums|"
    r"zentren|ischen|ische|ischer|alen|ale|aler)$"
)


def _looks_like_noun(token: str) -> bool:
    """A capitalised German common noun rather than a name (office complements, places)."""
    return token in _NOT_NAME or bool(_NOUN_ENDINGS.search(token))


def _not_surname(token: str) -> bool:
    """A last token that cannot be a surname; surnames may end like place words ("Wendland",
    "Hamann"), so only the endings of abstract nouns count."""
    return token in _NOT_NAME or bool(_ABSTRACT_ENDINGS.search(token))


_ABSTRACT_ENDINGS = re.compile(r"(?:ung|ungen|heit|keit|schaft|tion|ium|iums|ität|ismus|zentrum)$")


def _text_roles(text: str) -> list[tuple[str, str, int]]:
    """(name, role, position) for "<role> Name" and "Name, <role>" in the text."""
    rx = _role_rx()
    out = []
    for m in _role_matches(rx, text):
        role = _visitor_role(m["role"])
        if not role:
            continue
        after = _AFTER_ROLE.match(text, m.end())
        if after:
            toks = [t for t in (after["name"] or after["full"]).split() if t != "Dr."]
            while toks and toks[-1] in _NOT_NAME:
                toks.pop()
            while len(toks) > 1 and _looks_like_noun(toks[0]):
                toks.pop(0)  # "für Schule und Bildung Yvonne Gebauer": the office's last word
            if toks and not any(map(_looks_like_noun, toks[:-1])) and not _not_surname(toks[-1]):
                out.append((" ".join(toks), role, m.start()))
                continue
        # Two names and a comma fit in far less than 200 characters: no need to scan the page.
        head = text[max(0, m.start() - 200) : m.start()]
        before = re.search(rf"((?:{_NAME})\s+{_NAME}),\s+(?:der\s+|die\s+)?$", head)
        if before:
            out.append((before[1].replace("Dr. ", ""), role, m.start()))
    return out


def _role_matches(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, started only on lines that hold a role word (the role regex is
    slow: a lazy prefix tried against every suffix at every word start)."""
    low = text.lower()
    if len(low) != len(text):  # rare letters whose lower case is longer: positions shift
        yield from rx.finditer(text)
        return
    pos = 0
    for hit in _role_needles().finditer(low):
        if hit.start() < pos:
            continue
        line_end = text.find("\n", hit.end())
        line_end = len(text) if line_end < 0 else line_end
        pos = max(pos, text.rfind("\n", 0, hit.start()) + 1)
        # No end bound: a match that starts on this line may run on, as with finditer().
        while (m := rx.search(text, pos)) and m.start() < line_end:
            yield m
            pos = m.end()
        pos = max(pos, line_end)


@dataclass(frozen=True)
class _Names:
    """An official's folded spellings and surname pattern, prepared once."""

    official: Official
    names: tuple[str, ...]
    surname: str
    surname_rx: re.Pattern[str]


@cache
def _prepared() -> tuple[_Names, ...]:
    out = []
    for o in officials():
        sur = o.surname.translate(_FOLD)
        names = tuple(n.translate(_FOLD) for n in (o.name, *o.aliases))
        out.append(_Names(o, names, sur, re.compile(rf"\b{re.escape(sur)}\b")))
    return tuple(out)


def _fold(text: str) -> str:
    # translate() with a dict walks every character in Python: skip it when nothing folds.
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def find(
    title: str, sentences: list[str], visit_flags: list[bool], day: dt.date | None
) -> list[Visitor]:
    """Visitors in page order of importance. ``visit_flags[i]`` marks visit sentences."""
    # Title and sentences hold no newline (segment() splits on lines), so one fold of the
    # joined text and a split give the same chunks as folding each one.
    original = "\n".join([title, *sentences])
    full = _fold(original)
    chunks = list(zip(full.split("\n"), [True, *visit_flags], strict=True))
    found: dict[str, Visitor] = {}
    roles = _text_roles(full)
    for p in _prepared():
        o, sur = p.official, p.surname
        full_hits = sum(full.count(n) for n in p.names)
        role_hits = [r for n, r, _ in roles if n.split()[-1] == sur]
        if not full_hits and not role_hits:
            continue
        role = o.role_at(day)
        if role is None and not role_hits:
            continue  # out of office on that date and the text gives no office either
        context = any(flag and p.surname_rx.search(c) for c, flag in chunks)
        mentions = len(p.surname_rx.findall(full))
        name = printed_name(o.name, p.names, full, original)
        found[sur] = Visitor(name, role or role_hits[0], mentions, context, o.name)
    for name, role, _ in roles:
        sur = name.split()[-1]
        if sur in found or len(name.split()) < 2:
            continue
        context = any(flag and name in c for c, flag in chunks)
        printed = printed_name(name, (name,), full, original)
        found[sur] = Visitor(printed, role, full.count(sur), context)
    people = sorted(found.values(), key=lambda v: -v.mentions)
    in_context = [v for v in people if v.in_visit_context] or people[:1]
    politicians = [v for v in in_context if not _OFFICIAL_ROLE.search(v.role)]
    # A department head beside a minister or state secretary accompanies; alone she visits.
    return politicians or in_context


_OFFICIAL_ROLE = re.compile(r"(?i)abteilungsleiter|gruppenleiter|leiter(?:in)?\s+der|ministerial")
_DOCTOR = re.compile(r"(?:Prof\.\s+)?Dr\.\s+$")


def printed_name(name: str, spellings: tuple[str, ...], folded: str, original: str) -> str:
    """The visitor's name as the text prints it: with its diacritics ("Zülfiye Kaykın", listed
    as "Zülfiye Kaykin") and a doctor's title in front ("Dr. Joachim Stamp"). ``folded`` is
    ``original`` folded 1:1, so a hit's position is the same in both. A listed alias that is
    another spelling ("Serap Gülen") gives the listed name; a text that prints the surname
    only gives ``name``."""
    key = _fold(name).replace("Dr. ", "")
    for spelling in spellings:
        at = folded.find(spelling)
        if at < 0:
            continue
        end = at + len(spelling)
        printed = original[at:end]
        if _fold(printed).replace("Dr. ", "") != key:
            continue
        title = _DOCTOR.search(original[max(0, at - 12) : at])
        return (title[0] if title else "") + printed
    return name


@lru_cache(maxsize=1024)
def mentions_visitor(sentence: str) -> bool:
    """Does the sentence name a state/federal visitor: a visitor role word ("Ministerin",
    "Staatssekretär") or a listed official (full name, alias or surname)?"""
    folded = _fold(sentence)
    if any(_visitor_role(m["role"]) for m in _role_matches(_role_rx(), folded)):
        return True
    return any(n in folded for p in _prepared() for n in p.names) or any(
        p.surname_rx.search(folded) for p in _prepared()
    )
