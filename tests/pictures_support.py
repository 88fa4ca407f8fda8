"""A generated year of events in a real SQLite file, for the map, timeline, tour and digest
tests: known counts per KI and month, and one planted tour of four stops."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from scrapers.kis import load_kis
from storage.db import open_db
from storage.models import Event, Release

YEAR = 2025
TOURIST = "Josefine Paul (Ministerin für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration)"
TOUR_STOPS = (  # (day, KI): gaps of 1, 2 and 5 days; the next visit is six weeks later
    (date(YEAR, 7, 7), "Kreis Borken"), (date(YEAR, 7, 8), "Münster"),
    (date(YEAR, 7, 10), "Kreis Warendorf"), (date(YEAR, 7, 15), "Bielefeld"),
)
LATER_VISIT = (date(YEAR, 8, 26), "Köln")
OTHERS = ("Serap Güler (Staatssekretärin)", "Lorenz Bahr (Staatssekretär)", "Hendrik Wüst (Ministerpräsident)")


@dataclass
class Year:
    db: Path
    visits: Counter[str] = field(default_factory=Counter)  # per KI
    funding: Counter[str] = field(default_factory=Counter)
    per_month: dict[str, Counter[tuple[int, str]]] = field(default_factory=dict)  # KI -> (month, label)
    tour_event_ids: list[int] = field(default_factory=list)


class Writer:
    def __init__(self, session, year: Year) -> None:
        self.s, self.year = session, year
        self.n = session.scalar(select(func.max(Event.id))) or 0  # ids, guids and URLs stay unique

    def event(self, label: str, day: date, kis: list[str], visitors: list[str] = (), amounts: list[float] = (),
              sources: int = 1, published: date | None = None, created: datetime | None = None) -> int:
        self.n += 1
        event = Event(guid=f"urn:uuid:gen-{self.n}", key=f"gen-{self.n}", label=label,
                      title=f"{'Besuch' if label == 'visit' else 'Förderung'} {self.n}: {', '.join(kis)}",
                      published=published or day, created_at=created or datetime(YEAR, 1, 1, tzinfo=UTC))
        self.s.add(event)
        self.s.flush()
        for k in range(sources):
            self.s.add(Release(
                source_id=f"gen-src-{k}", url=f"http://127.0.0.1:9/gen/{self.n}/{k}", title=event.title,
                published=published or day, text="…", text_hash=f"{self.n}-{k}",
                first_seen_at=datetime.combine(published or day, datetime.min.time(), UTC),
                last_seen_at=datetime(YEAR, 12, 31, tzinfo=UTC), label=label, ki=kis, visitors=list(visitors),
                amounts_eur=list(amounts), event_date=day, evidence=[], analysis_version="gen", event_id=event.id))
        for ki in kis:
            (self.year.visits if label == "visit" else self.year.funding)[ki] += 1
            self.year.per_month.setdefault(ki, Counter())[(day.month, label)] += 1
        return event.id


def generate_year(db: Path, seed: int = 16) -> Year:
    """About 400 events over the year: every KI some visits and grants, two thirds of them at
    most one per person a fortnight so only the planted tour forms a tour."""
    rng = random.Random(seed)
    year = Year(db)
    kis = [k.name for k in load_kis()]
    with open_db(str(db))() as s:
        w = Writer(s, year)
        for i, ki in enumerate(kis):
            for _ in range(i % 5):  # 0..4 grants per KI
                w.event("funding", date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)), [ki],
                        amounts=[rng.randint(1, 90) * 1000.0], sources=rng.choice((1, 2)))
        for n, day in enumerate(date(YEAR, 1, 6) + timedelta(days=15 * k) for k in range(24)):
            # each of the three others visits every 45 days: never twice within a week
            w.event("visit", day, [kis[(n * 7) % len(kis)]], visitors=[OTHERS[n % 3]])
        # a visit reported with two KIs counts for each
        w.event("visit", date(YEAR, 3, 3), ["Bonn", "Rhein-Sieg-Kreis"], visitors=["Hendrik Wüst (Ministerpräsident)"],
                published=date(YEAR, 3, 4))
        for day, ki in TOUR_STOPS:
            year.tour_event_ids.append(w.event("visit", day, [ki], visitors=[TOURIST], sources=2))
        w.event("visit", LATER_VISIT[0], [LATER_VISIT[1]], visitors=[TOURIST])
        s.commit()
    return year


def stored_counts(db: Path) -> dict[str, Counter[str]]:
    """Visits and funding per KI straight from the tables: events with a live release."""
    out: dict[str, Counter[str]] = {}
    with open_db(str(db))() as s:
        for event in s.scalars(select(Event)):
            live = [r for r in event.releases if r.removed_at is None and r.effective_label == event.label]
            for ki in {k for r in live for k in r.ki or []}:
                out.setdefault(ki, Counter())[event.label] += 1
    return out
