"""The events as the pictures see them: one light row per live visit or funding event with its
day, KIs, visitors and sources, read in two column-only queries.

The map, the timelines, the tours and the digest all count the same things; reading them in
one place keeps their numbers equal to each other and to the overview list.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from monitor.web.queries import EFFECTIVE_LABEL
from storage.models import Event, Release

KINDS = ("visit", "funding", "other")


@dataclass(frozen=True)
class SourceLink:
    release_id: int
    source_id: str
    url: str


@dataclass(frozen=True)
class Happening:
    """A live event: the releases that report it (not removed, label as the event's)."""

    id: int
    label: str  # visit | funding
    day: date  # the event's date if a release names it, else the first publication
    title: str
    kis: tuple[str, ...]
    visitors: tuple[str, ...]
    amounts: tuple[float, ...]
    sources: tuple[SourceLink, ...]


def happenings(session: Session, *where) -> list[Happening]:
    """Every live event with a known day (that meets the ``where`` clauses), oldest first."""
    # JSON and dates arrive as text and are parsed here: SQLAlchemy's per-value processors
    # cost three times the query with thousands of rows.
    rows = session.execute(
        select(Event.id, Event.label, _raw(Event.published), Event.title, Release.id, Release.source_id,
               Release.url, _raw(Release.ki), _raw(Release.visitors), _raw(Release.amounts_eur),
               _raw(Release.event_date))
        .join(Release, Release.event_id == Event.id)
        .where(Release.removed_at.is_(None), Event.label == EFFECTIVE_LABEL, *where)).all()
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append((*row[:7], *(json.loads(v) if v else [] for v in row[7:10]), row[10]))
    out = []
    for event_id, group in grouped.items():
        group.sort(key=lambda r: r[4])
        _, label, published, title = group[0][:4]
        day = _date(next((r[10] for r in group if r[10]), None) or published)
        if day is None:
            continue
        out.append(Happening(
            event_id, label, day, title,
            kis=tuple(sorted({k for r in group for k in (r[7] or [])})),
            visitors=tuple(sorted({v for r in group for v in (r[8] or [])})),
            amounts=tuple(sorted({a for r in group for a in (r[9] or [])}, reverse=True)),
            sources=tuple(SourceLink(r[4], r[5], r[6]) for r in group)))
    return sorted(out, key=lambda h: (h.day, h.id))


def _raw(column):
    return type_coerce(column, Text)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def other_mentions(session: Session) -> list[tuple[date, tuple[str, ...]]]:
    """Live releases about a KI that are neither visit nor funding: (day, KIs)."""
    rows = session.execute(select(Release.published, Release.ki).where(
        Release.removed_at.is_(None), EFFECTIVE_LABEL == "other", Release.published.is_not(None)))
    return [(day, tuple(kis or ())) for day, kis in rows if kis]


def within(items: list[Happening], start: date | None, end: date | None) -> list[Happening]:
    return [h for h in items if (start is None or h.day >= start) and (end is None or h.day <= end)]


def counts_by_ki(items: list[Happening], label: str | None = None) -> Counter[str]:
    """Events per KI (an event at two KIs counts for each), of one kind or of both."""
    return Counter(k for h in items if label in (None, h.label) for k in h.kis)


Month = tuple[int, int]


def monthly(items: list[Happening], others: list[tuple[date, tuple[str, ...]]],
            ki: str | None = None) -> dict[Month, Counter[str]]:
    """Per (year, month): how many visits, funding events and other releases (of one KI)."""
    out: dict[Month, Counter[str]] = defaultdict(Counter)
    for h in items:
        if ki is None or ki in h.kis:
            out[(h.day.year, h.day.month)][h.label] += 1
    for day, kis in others:
        if ki is None or ki in kis:
            out[(day.year, day.month)]["other"] += 1
    return out
