"""Tours: visits of one office holder at several KIs on consecutive days or weeks, found in the
events (never entered by hand), so a summer tour shows as one route with its stops in order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.web.happenings import Happening
from scrapers.kis import ki_by_name
from scrapers.sources import slugify

MAX_GAP = timedelta(days=7)  # a week without a visit ends a tour
MIN_KIS = 2


@dataclass(frozen=True)
class Tour:
    person: str  # the name, without the role
    roles: tuple[str, ...]  # "Name (role)" as the analysis wrote it
    stops: tuple[Happening, ...]  # in order of their day

    @property
    def slug(self) -> str:
        return f"{slugify(self.person)}-{self.start.isoformat()}"

    @property
    def start(self) -> date:
        return self.stops[0].day

    @property
    def end(self) -> date:
        return self.stops[-1].day

    @property
    def kis(self) -> list[str]:
        """The KIs in the order the tour reached them (a KI visited twice appears twice)."""
        return [k for stop in self.stops for k in stop.kis if k in ki_by_name()]


def person_of(visitor: str) -> str:
    """``Serap Güler (Staatssekretärin)`` → ``Serap Güler``."""
    return visitor.split(" (", 1)[0].strip()


def same_person_key(visitor: str) -> str:
    """One key for the spellings of one person: ``Dr. Joachim Stamp`` and ``Joachim Stamp``,
    ``Zülfiye Kaykın`` and ``Zülfiye Kaykin`` (releases print names as they like)."""
    name = re.sub(r"\b(?:Dr|Prof|Dipl)\.(?:-\w+\.)?\s*", "", person_of(visitor)).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(bare.replace("ı", "i").split())


def find_tours(items: list[Happening]) -> list[Tour]:
    """Every run of one person's visits (two or more) with at most ``MAX_GAP`` between stops
    that reaches ``MIN_KIS`` different KIs; newest first."""
    visits: dict[str, list[tuple[Happening, str]]] = {}
    for h in items:
        if h.label != "visit" or not any(k in ki_by_name() for k in h.kis):
            continue
        for visitor in h.visitors:
            visits.setdefault(same_person_key(visitor), []).append((h, visitor))
    tours: list[Tour] = []
    for seen in visits.values():
        person = person_of(seen[0][1])  # the first printed spelling names the tour
        seen.sort(key=lambda pair: (pair[0].day, pair[0].id))
        run: list[tuple[Happening, str]] = []
        for pair in seen:
            if run and pair[0].day - run[-1][0].day > MAX_GAP:
                tours += _as_tour(person, run)
                run = []
            run.append(pair)
        tours += _as_tour(person, run)
    return sorted(tours, key=lambda t: (t.start, t.person), reverse=True)


def _as_tour(person: str, run: list[tuple[Happening, str]]) -> list[Tour]:
    stops = tuple(dict.fromkeys(h for h, _ in run))  # an event named with two roles is one stop
    tour = Tour(person, tuple(sorted({v for _, v in run})), stops)
    return [tour] if len(stops) >= 2 and len(set(tour.kis)) >= MIN_KIS else []


def tours_through(tours: list[Tour], ki: str) -> list[Tour]:
    return [t for t in tours if ki in t.kis]
