"""Feeds (feedgen): RSS 2.0 and Atom of events — all KI news, visits, funding, per KI, per
Regierungsbezirk. One entry per event, with a GUID that never changes for that event.

Feeds are rebuilt from the database after every run and written atomically (temp file +
rename), so a reader never sees half a file and a rerun over unchanged data writes the same
bytes (``lastBuildDate`` comes from the data, not from the clock).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from html import escape
from pathlib import Path

from feedgen.feed import FeedGenerator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitor.clock import BERLIN
from scrapers.kis import load_kis
from scrapers.sources import SLUG
from storage.models import Event

LABEL_NAMES = {"visit": "Besuch", "funding": "Förderung"}
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DEFAULT_LIMIT = 200


def slugify(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
    return re.sub(r"[^a-z0-9]+", "-", name.translate(table).lower()).strip("-")


@dataclass(frozen=True)
class FeedSpec:
    slug: str
    title: str
    description: str
    wants: Callable[[Event], bool]


def _kis_of(event: Event) -> set[str]:
    return {k for r in event.releases for k in (r.ki or [])}


def feed_specs() -> list[FeedSpec]:
    specs = [
        FeedSpec("ki-news", "KI-Monitor NRW: alle Meldungen",
                 "Besuche und Förderung der Kommunalen Integrationszentren in NRW", lambda e: True),
        FeedSpec("besuche", "KI-Monitor NRW: Besuche",
                 "Besuche von Landes- und Bundespolitik in den Kommunalen Integrationszentren",
                 lambda e: e.label == "visit"),
        FeedSpec("foerderung", "KI-Monitor NRW: Förderung",
                 "Landesmittel, KOMM-AN NRW, Kommunales Integrationsmanagement", lambda e: e.label == "funding"),
    ]
    for ki in load_kis():
        specs.append(FeedSpec(f"ki-{slugify(ki.name)}", f"KI-Monitor NRW: {ki.name}",
                              f"Meldungen über das Kommunale Integrationszentrum {ki.name}",
                              lambda e, n=ki.name: n in _kis_of(e)))
    for rb in sorted({k.regierungsbezirk for k in load_kis()}):
        names = {k.name for k in load_kis() if k.regierungsbezirk == rb}
        specs.append(FeedSpec(f"rb-{slugify(rb)}", f"KI-Monitor NRW: Regierungsbezirk {rb}",
                              f"Meldungen über die Kommunalen Integrationszentren im Regierungsbezirk {rb}",
                              lambda e, n=frozenset(names): bool(n & _kis_of(e))))
    assert all(SLUG.match(s.slug) for s in specs)
    return specs


def clean(text: str | None) -> str:
    return XML_INVALID.sub("", text or "")


def events_for_feeds(session: Session) -> list[Event]:
    """Events with at least one live visit/funding release, newest first."""
    events = session.scalars(select(Event).options(selectinload(Event.releases)))
    live = [e for e in events if any(r.removed_at is None and r.effective_label == e.label for r in e.releases)]
    return sorted(live, key=lambda e: (e.published or datetime.min.date(), e.id), reverse=True)


def entry_time(event: Event) -> datetime:
    day = event.published or event.created_at.date()
    return datetime.combine(day, time(0, 0), BERLIN)


def describe(event: Event) -> str:
    """HTML description: summary, facts, evidence and every source that published it."""
    releases = [r for r in event.releases if r.removed_at is None]
    lead = releases[0]
    summary = " ".join(lead.text.split())[:400]
    facts = []
    kis = sorted(_kis_of(event))
    if kis:
        facts.append(f"<li>KI: {escape(', '.join(kis))}</li>")
    visitors = sorted({v for r in releases for v in (r.visitors or [])})
    if visitors:
        facts.append(f"<li>Besuch: {escape('; '.join(visitors))}</li>")
    day = next((r.event_date for r in releases if r.event_date), None)
    if day:
        facts.append(f"<li>Datum: {day.strftime('%d.%m.%Y')}</li>")
    amounts = sorted({a for r in releases for a in (r.amounts_eur or [])}, reverse=True)
    if amounts:
        facts.append("<li>Beträge: " + ", ".join(f"{a:,.0f} €".replace(",", ".") for a in amounts) + "</li>")
    evidence = [e for r in releases for e in (r.evidence or [])][:4]
    parts = [f"<p>{escape(summary)}…</p>"]
    if facts:
        parts.append(f"<ul>{''.join(facts)}</ul>")
    if evidence:
        parts.append("<p>Begründung:</p><ul>" + "".join(f"<li>{escape(str(e))}</li>" for e in evidence) + "</ul>")
    parts.append("<p>Quellen:</p><ul>" + "".join(
        f'<li><a href="{escape(r.url)}">{escape(r.title)}</a> ({escape(r.source_id)})</li>' for r in releases) + "</ul>")
    if event.update_note:
        parts.insert(0, f"<p><strong>Aktualisiert:</strong> {escape(event.update_note)}</p>")
    return clean("".join(parts))


def build(spec: FeedSpec, events: list[Event], base_url: str, limit: int = DEFAULT_LIMIT, fmt: str = "rss") -> bytes:
    chosen = [e for e in events if spec.wants(e)][:limit]
    fg = FeedGenerator()
    fg.id(f"{base_url}/feeds/{spec.slug}")
    fg.title(spec.title)
    fg.description(spec.description)
    fg.language("de")
    fg.generator("ki-monitor")
    # Library notes: the RSS channel link is the last link() call; self first, alternate last.
    fg.link(href=f"{base_url}/feeds/{spec.slug}.{'xml' if fmt == 'rss' else 'atom'}", rel="self")
    fg.link(href=f"{base_url}/", rel="alternate")
    stamps = [e.updated_at or e.created_at for e in chosen]
    built = max(stamps).astimezone(UTC) if stamps else datetime(2000, 1, 1, tzinfo=UTC)
    fg.lastBuildDate(built) if fmt == "rss" else None
    fg.updated(built)
    for event in chosen:
        releases = [r for r in event.releases if r.removed_at is None]
        fe = fg.add_entry(order="append")
        fe.id(event.guid)
        fe.guid(event.guid, permalink=False)
        title = clean(event.title) + (" (aktualisiert)" if event.update_note else "")
        fe.title(title)
        fe.link(href=releases[0].url)
        fe.description(describe(event)) if fmt == "rss" else fe.content(describe(event), type="html")
        fe.pubDate(entry_time(event))
        fe.updated((event.updated_at or event.created_at).astimezone(UTC))
        fe.category(term=LABEL_NAMES.get(event.label, event.label))
        for ki in sorted(_kis_of(event)):
            fe.category(term=ki)
    return fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename; skip when unchanged."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_feeds(session: Session, out_dir: Path, base_url: str = "http://127.0.0.1:8470",
                limit: int = DEFAULT_LIMIT) -> list[Path]:
    events = events_for_feeds(session)
    written = []
    for spec in feed_specs():
        for fmt, ext in (("rss", "xml"), ("atom", "atom")):
            path = out_dir / f"{spec.slug}.{ext}"
            write_atomic(path, build(spec, events, base_url.rstrip("/"), limit, fmt))
            written.append(path)
    return written


