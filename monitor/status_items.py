"""Source health as feed entries: one entry per failing streak of a source.

A streak is a run of consecutive runs in which a source failed or found nothing
(``monitor.health.bad``). Once it reaches the threshold it becomes an entry whose GUID is
derived from the source and the start of the streak, so it never changes while the streak
goes on; when the source works again the same entry is updated to say so. Interrupted runs
(killed by the operator or a crash) say nothing about a source and are skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.clock import BERLIN, aware
from monitor.feed_items import Item, clean
from monitor.health import DEFAULT_THRESHOLD, bad
from storage.models import Run, RunSource, Source

STATUS_NAMESPACE = uuid.UUID("0b7f5d1c-7c1e-4a53-9d2a-4f4a2f0d6c55")


@dataclass
class Streak:
    source_id: str
    started: datetime  # first bad run
    reported: datetime  # the run that reached the threshold
    last_bad: datetime
    runs: int
    problem: str
    recovered: datetime | None = None

    @property
    def guid(self) -> str:
        return f"urn:uuid:{uuid.uuid5(STATUS_NAMESPACE, f'{self.source_id}/{self.started.isoformat()}')}"


def _problem(rs: RunSource) -> str:
    if rs.error_text:
        return rs.error_text
    return "keine Pressemitteilungen gefunden" if rs.status == "ok" else f"Status {rs.status}"


def streaks(session: Session, threshold: int = DEFAULT_THRESHOLD) -> list[Streak]:
    """Every streak of at least ``threshold`` bad runs, current or over."""
    rows = session.execute(
        select(RunSource, Run.started_at).join(Run, Run.id == RunSource.run_id)
        # Feeds are written before the run is closed: count its sources once they are done.
        .where(Run.status != "interrupted", RunSource.status != "running")
        .order_by(RunSource.source_id, Run.started_at, Run.id)
    ).all()
    found: list[Streak] = []
    current: dict[str, Streak] = {}
    for rs, started in rows:
        started = aware(started)
        streak = current.get(rs.source_id)
        if not bad(rs):
            if streak is not None and streak.runs >= threshold:
                streak.recovered = started
                found.append(streak)
            current.pop(rs.source_id, None)
            continue
        if streak is None:
            streak = current[rs.source_id] = Streak(rs.source_id, started, started, started, 0, _problem(rs))
        streak.runs += 1
        streak.last_bad, streak.problem = started, _problem(rs)
        if streak.runs == threshold:
            streak.reported = started
    found += [s for s in current.values() if s.runs >= threshold]
    return found


def streak_item(streak: Streak, source: Source | None) -> Item:
    name = source.name if source else streak.source_id
    since = streak.started.astimezone(BERLIN)
    if streak.recovered:
        title = f"Wieder in Ordnung: {name} (nach {streak.runs} gestörten Läufen)"
    else:
        title = f"Quelle gestört: {name} – seit {since:%d.%m.%Y} {streak.runs} Läufe ohne Ergebnis"
    parts = [
        f"<p>Die Quelle <b>{escape(name)}</b> ({escape(streak.source_id)}) ist seit dem "
        f"{since:%d.%m.%Y, %H:%M} Uhr in {streak.runs} Läufen in Folge fehlgeschlagen oder hat "
        "nichts gefunden. Meldungen dieser Quelle fehlen so lange in den Feeds.</p>",
        f"<p><b>Zuletzt:</b> {escape(streak.problem)} ({streak.last_bad.astimezone(BERLIN):%d.%m.%Y, %H:%M} Uhr)</p>",
    ]
    if streak.recovered:
        parts.append(f"<p><b>Wieder in Ordnung seit:</b> {streak.recovered.astimezone(BERLIN):%d.%m.%Y, %H:%M} Uhr</p>")
    else:
        parts.append(f"<p>Prüfen: <code>ki-monitor run {escape(streak.source_id)}</code> und die Adresse "
                     "der Quelle im Quellenverzeichnis.</p>")
    if source is not None:
        parts.append(f'<p>Quelle: <a href="{escape(source.url)}">{escape(source.url)}</a></p>')
    ki = frozenset({source.ki}) if source is not None and source.ki else frozenset()
    return Item(
        guid=streak.guid, label="status", title=clean(title), link=source.url if source else "",
        html=clean("".join(parts)), published=streak.reported.astimezone(BERLIN),
        updated=(streak.recovered or streak.last_bad).astimezone(UTC),
        categories=("Quellenstatus", *sorted(ki)), kis=ki, updated_mark=streak.recovered is not None,
    )


def status_items(session: Session, threshold: int = DEFAULT_THRESHOLD) -> list[Item]:
    sources = {s.id: s for s in session.scalars(select(Source))}
    return [streak_item(s, sources.get(s.source_id)) for s in streaks(session, threshold)]
