"""Feed entries as plain values: one ``Item`` per event (and per source-health streak).

Building items apart from feedgen keeps the rules in one place — what an entry says, which
date it carries, which feeds it belongs to — and lets RSS and Atom share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitor.clock import BERLIN, aware
from monitor.feed_german import german
from storage.models import Change, Event, Release

AUTHOR = "KI-Monitor NRW"  # who the feeds are by (Atom <author>, JSON Feed authors)
LABEL_NAMES = {"visit": "Besuch", "funding": "Förderung", "status": "Quellenstatus"}
# XML 1.0 forbids these; feedgen raises on them (library notes), scraped text carries them.
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUMMARY_CHARS = 400
DIFF_LINES = 30


def clean(text: str | None) -> str:
    return XML_INVALID.sub("", text or "")


@dataclass(frozen=True)
class Item:
    guid: str  # never changes for the event; not a permalink
    label: str  # visit | funding | status
    title: str
    link: str
    html: str
    published: datetime  # tz-aware, Europe/Berlin
    updated: datetime  # tz-aware
    categories: tuple[str, ...]
    kis: frozenset[str] = frozenset()
    related: tuple[str, ...] = ()  # further sources that published it
    updated_mark: bool = False


def day_start(day: date) -> datetime:
    """The publication day as a Europe/Berlin timestamp (+0100/+0200 in the feed)."""
    return datetime.combine(day, time(0, 0), BERLIN)


def _live(event: Event) -> list[Release]:
    return [r for r in event.releases if r.removed_at is None and r.effective_label == event.label]


def load_events(session: Session) -> tuple[list[Event], dict[int, Change]]:
    """Events with at least one live visit/funding release, and each release's latest update."""
    events = [e for e in session.scalars(select(Event).options(selectinload(Event.releases))) if _live(e)]
    ids = [r.id for e in events for r in e.releases]
    latest: dict[int, Change] = {}
    if ids:
        for change in session.scalars(select(Change).where(Change.kind == "updated", Change.release_id.in_(ids))
                                      .order_by(Change.id)):
            latest[change.release_id] = change
    return events, latest


def _money(amount: float) -> str:
    return f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".").removesuffix(",00") + " €"


def facts(releases: list[Release], label: str) -> list[str]:
    """Who visited which KI when; how much money for what — as HTML list items."""
    out = []
    kis = sorted({k for r in releases for k in (r.ki or [])})
    if kis:
        out.append(f"<li><b>KI:</b> {escape(', '.join(kis))}</li>")
    visitors = sorted({v for r in releases for v in (r.visitors or [])})
    if visitors:
        out.append(f"<li><b>Besuch von:</b> {escape('; '.join(visitors))}</li>")
    day = next((r.event_date for r in releases if r.event_date), None)
    if day:
        out.append(f"<li><b>{'Besuchstag' if label == 'visit' else 'Datum'}:</b> {day:%d.%m.%Y}</li>")
    amounts = sorted({a for r in releases for a in (r.amounts_eur or [])}, reverse=True)
    if amounts:
        purpose = releases[0].title
        out.append(f"<li><b>Betrag:</b> {escape(', '.join(_money(a) for a in amounts))} "
                   f"für: {escape(purpose)}</li>")
    return out


def describe(event: Event, releases: list[Release], update: Change | None, show_update: bool) -> str:
    """HTML description: update mark, summary, facts, evidence and every source."""
    lead = releases[0]
    text = " ".join(lead.text.split())
    summary = text[:SUMMARY_CHARS] + ("…" if len(text) > SUMMARY_CHARS else "")
    parts = []
    if show_update and event.update_note:
        parts.append(f"<p><strong>Aktualisiert:</strong> {escape(event.update_note)}</p>")
        if update is not None and update.diff:
            lines = update.diff.splitlines()[:DIFF_LINES]
            parts.append(f"<pre>{escape(chr(10).join(lines))}</pre>")
    parts.append(f"<p>{escape(summary)}</p>")
    if fact_items := facts(releases, event.label):
        parts.append(f"<ul>{''.join(fact_items)}</ul>")
    evidence = [str(e) for r in releases for e in (r.evidence or [])][:4]
    if evidence:
        parts.append("<p>Belege:</p><ul>" + "".join(f"<li>{escape(german(e))}</li>" for e in evidence) + "</ul>")
    parts.append("<p>Quellen:</p><ul>" + "".join(
        f'<li><a href="{escape(r.url)}">{escape(r.title)}</a> ({escape(r.source_id)}'
        + (f", {r.published:%d.%m.%Y}" if r.published else "") + ")</li>" for r in releases) + "</ul>")
    return clean("".join(parts))


def event_item(event: Event, latest: dict[int, Change], show_updates: bool = True) -> Item:
    releases = _live(event)
    releases.sort(key=lambda r: (r.published or date.max, r.id))
    updates = [latest[r.id] for r in releases if r.id in latest]
    update = max(updates, key=lambda c: c.id) if updates else None
    marked = show_updates and bool(event.update_note)
    kis = frozenset(k for r in releases for k in (r.ki or []))
    published = day_start(event.published or aware(event.created_at).astimezone(BERLIN).date())
    stamp = event.updated_at if marked and event.updated_at else event.created_at
    title = clean(event.title) + (" (aktualisiert)" if marked else "")
    return Item(
        guid=event.guid, label=event.label, title=title, link=releases[0].url,
        html=describe(event, releases, update, show_updates), published=published,
        updated=aware(stamp).astimezone(UTC),
        categories=(LABEL_NAMES.get(event.label, event.label), *sorted(kis)), kis=kis,
        related=tuple(r.url for r in releases[1:]), updated_mark=marked,
    )
