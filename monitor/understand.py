"""Applies the analysis to stored releases and groups them into events.

A release is (re)analysed when it has no analysis yet, when its text changed, or when the
rules changed (``ANALYSIS_VERSION``). Visits and funding become events; the same event from
several sources (ministry, city, newspaper) joins one ``Event`` with one stable GUID.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from monitor.analysis import ANALYSIS_VERSION, Analysis, Document, analyze
from monitor.analysis.events import event_key, same_event
from monitor.clock import now as default_now
from storage.models import Event, Release

EVENT_LABELS = ("visit", "funding")
GUID_NAMESPACE = uuid.UUID("6f1c3d2e-52a4-4bd0-9a57-0b1e8f0f8a11")
# Candidate events for a merge: reported within this many days of each other.
MATCH_WINDOW = timedelta(days=21)


def document_of(release: Release) -> Document:
    return Document(url=release.url, title=release.title, text=release.text, published=release.published)


def analysis_of(release: Release) -> Analysis:
    return Analysis(label=release.effective_label or "irrelevant", ki=list(release.ki or []),
                    visitors=list(release.visitors or []), amounts_eur=list(release.amounts_eur or []),
                    published=release.published, event_date=release.event_date, evidence=list(release.evidence or []))


def apply_analysis(release: Release, result: Analysis) -> None:
    release.label = result.label
    release.ki, release.visitors, release.amounts_eur = result.ki, result.visitors, result.amounts_eur
    release.event_date, release.evidence = result.event_date, result.evidence
    release.published = release.published or result.published
    release.analysis_version = ANALYSIS_VERSION


class Understanding:
    def __init__(self, session: Session, clock: Callable[[], datetime] = default_now) -> None:
        self.session = session
        self.clock = clock
        self.events: list[Event] | None = None  # candidates for matching, loaded per batch

    def run(self, release_ids: list[int] | None = None, everything: bool = False) -> list[int]:
        """Analyse what needs it; returns the ids of releases whose analysis changed."""
        query = select(Release).order_by(Release.published.is_(None), Release.published, Release.id)
        if not everything:
            conds = [Release.label.is_(None), Release.analysis_version != ANALYSIS_VERSION]
            if release_ids:
                conds.append(Release.id.in_(release_ids))
            query = query.where(or_(*conds))
        releases = list(self.session.scalars(query))
        self.load_events(releases)
        changed = []
        # Events are matched in memory; flushing before every lazy load only costs time.
        with self.session.no_autoflush:
            for release in releases:
                before = (release.label, release.ki, release.visitors, release.amounts_eur, release.event_date)
                apply_analysis(release, analyze(document_of(release)))
                self.assign_event(release)
                if before != (release.label, release.ki, release.visitors, release.amounts_eur, release.event_date):
                    changed.append(release.id)
        self.session.flush()
        return changed

    def load_events(self, releases: list[Release]) -> None:
        """The events a batch can join, loaded once with their releases (matching runs in
        memory: a query per release cost more than the analysis itself)."""
        days = [d for r in releases if (d := r.event_date or r.published)]
        query = select(Event).options(selectinload(Event.releases))
        if days and len(days) == len(releases):
            query = query.where(or_(Event.published.is_(None), Event.published.between(
                min(days) - 2 * MATCH_WINDOW, max(days) + 2 * MATCH_WINDOW)))
        self.events = list(self.session.scalars(query))

    def assign_event(self, release: Release) -> None:
        if self.events is None:  # called alone (a correction): load what this release can join
            self.load_events([release])
        label = release.effective_label
        if label not in EVENT_LABELS or release.removed_at is not None:
            self.detach(release)
            return
        current = release.event
        doc, result = document_of(release), analysis_of(release)
        if current is not None and current.label == label and self._fits(current, release, doc, result):
            return
        self.detach(release)
        event = self.find_event(release, doc, result) or self.new_event(release, doc, result)
        release.event = event
        if release.published and (event.published is None or release.published < event.published):
            event.published = release.published

    def _fits(self, event: Event, release: Release, doc: Document, result: Analysis) -> bool:
        others = [r for r in event.releases if r is not release]
        return not others or any(same_event((doc, result), (document_of(o), analysis_of(o))) for o in others)

    def find_event(self, release: Release, doc: Document, result: Analysis) -> Event | None:
        key = event_key(doc, result)
        day = release.event_date or release.published
        label = release.effective_label

        def near(event: Event) -> bool:
            return day is None or event.published is None or abs(event.published - day) <= MATCH_WINDOW

        candidates = sorted((e for e in self.events if e.label == label and near(e)), key=lambda e: e.key != key)
        for event in candidates:
            if any(same_event((doc, result), (document_of(o), analysis_of(o))) for o in event.releases if o is not release):
                return event
        return None

    def new_event(self, release: Release, doc: Document, result: Analysis) -> Event:
        event = Event(guid=self.free_guid(release), key=event_key(doc, result),
                      label=release.effective_label, title=release.title,
                      published=release.published or release.event_date or _day(release.first_seen_at),
                      created_at=self.clock())
        self.session.add(event)
        self.events.append(event)
        return event

    def free_guid(self, release: Release) -> str:
        """The GUID of the release's own event: from its URL, so it never changes. When the
        release leaves an event it founded (a correction, a relabel) while other sources stay
        in it, that event keeps the GUID, and the release's new event takes the next free one."""
        name, n = release.url, 0
        while True:
            guid = f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, name)}"
            taken = any(e.guid == guid for e in self.session.new if isinstance(e, Event)) or \
                self.session.scalar(select(Event.id).where(Event.guid == guid).limit(1)) is not None
            if not taken:
                return guid
            n += 1
            name = f"{release.url}#{n}"

    def detach(self, release: Release) -> None:
        event = release.event
        if event is None:
            return
        release.event = None  # the ORM keeps event.releases in step in memory
        if not event.releases:
            if event in self.events:
                self.events.remove(event)
            if event in self.session.new:
                self.session.expunge(event)
            else:
                self.session.delete(event)
                self.session.flush()  # before a new event may take the same GUID


def _day(dt: datetime | None) -> date | None:
    return dt.date() if dt else None
