"""Database queries behind the review pages: filtered, paginated, and cheap with 10 000 releases.

Lists are paginated in SQL; only the rows of one page are loaded with their relations.
Large columns (bodies, texts) are loaded only on the pages that show them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from sqlalchemy import Select, Text, cast, exists, func, or_, select
from sqlalchemy.orm import Session, load_only, selectinload

from monitor.health import SourceHealth, source_health
from monitor.understand import EVENT_LABELS
from scrapers.kis import load_kis, regierungsbezirke
from storage.models import Body, Event, Fetch, Release, ReleaseVersion, Run, RunSource, Source

T = TypeVar("T")
LABELS = ("visit", "funding", "other", "irrelevant")
EFFECTIVE_LABEL = func.coalesce(Release.corrected_label, Release.label)
HISTORY_LIMIT = 100  # snapshots per URL on a release page


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, query: Select, number: int, per_page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(1, number), max(1, math.ceil(total / per_page)))
    items = session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique().all()
    return Page(items, number, per_page, total)


@dataclass(frozen=True)
class Filters:
    """Overview filters, validated: unknown values are dropped, never passed on."""

    label: str | None = None
    ki: str | None = None
    rb: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, args) -> Filters:
        kis = {k.name for k in load_kis()}
        label = args.get("type") if args.get("type") in EVENT_LABELS else None
        ki = args.get("ki") if args.get("ki") in kis else None
        rb = args.get("rb") if args.get("rb") in regierungsbezirke() else None
        return cls(label, ki, rb, _day(args.get("from")), _day(args.get("to")), page_number(args.get("page")))

    def query_args(self, **override) -> dict[str, str]:
        """The filters as URL parameters, for pagination links."""
        args = {"type": self.label, "ki": self.ki, "rb": self.rb,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None, "page": str(self.page)}
        args.update(override)
        return {k: v for k, v in args.items() if v}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def page_number(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value), 100_000)) if value else default
    except ValueError:
        return default


def _mentions_any(names: list[str]):
    # ``ki`` is a JSON list; its serialised form holds each name as a quoted JSON string.
    return or_(*(cast(Release.ki, Text).contains(json.dumps(n), autoescape=True) for n in names))


def overview(session: Session, filters: Filters, per_page: int = 30) -> Page[Event]:
    """Events with a live release whose (corrected) label is the event's, newest first."""
    live = [Release.event_id == Event.id, Release.removed_at.is_(None), Event.label == EFFECTIVE_LABEL]
    names = [filters.ki] if filters.ki else []
    if filters.rb:
        names += [k.name for k in load_kis() if k.regierungsbezirk == filters.rb and k.name != filters.ki]
        if filters.ki and filters.ki not in {k.name for k in load_kis() if k.regierungsbezirk == filters.rb}:
            names = ["\x00none"]  # a KI outside the chosen Bezirk: nothing matches
    if names:
        live.append(_mentions_any(names))
    query = select(Event).where(exists().where(*live))
    if filters.label:
        query = query.where(Event.label == filters.label)
    if filters.date_from:
        query = query.where(Event.published >= filters.date_from)
    if filters.date_to:
        query = query.where(Event.published <= filters.date_to)
    query = query.order_by(Event.published.desc().nulls_last(), Event.id.desc()).options(
        selectinload(Event.releases).options(
            load_only(Release.id, Release.title, Release.url, Release.source_id, Release.ki, Release.visitors,
                      Release.amounts_eur, Release.event_date, Release.removed_at, Release.label,
                      Release.corrected_label, Release.event_id)))
    return paginate(session, query, filters.page, per_page)


@dataclass
class EventFacts:
    kis: list[str]
    visitors: list[str]
    amounts: list[float]
    event_date: date | None
    releases: list[Release]


def event_facts(event: Event) -> EventFacts:
    releases = [r for r in event.releases if r.removed_at is None] or list(event.releases)
    return EventFacts(
        kis=sorted({k for r in releases for k in (r.ki or [])}),
        visitors=sorted({v for r in releases for v in (r.visitors or [])}),
        amounts=sorted({a for r in releases for a in (r.amounts_eur or [])}, reverse=True),
        event_date=next((r.event_date for r in releases if r.event_date), None),
        releases=releases,
    )


def releases_page(session: Session, number: int, label: str | None = None, per_page: int = 50) -> Page[Release]:
    """All releases (any label), newest first: the way to releases that formed no event."""
    query = select(Release).options(load_only(
        Release.id, Release.title, Release.url, Release.source_id, Release.published, Release.label,
        Release.corrected_label, Release.removed_at, Release.ki))
    if label in LABELS:
        query = query.where(label == EFFECTIVE_LABEL)
    query = query.order_by(Release.published.desc().nulls_last(), Release.id.desc())
    return paginate(session, query, number, per_page)


SNAPSHOT_COLUMNS = (Fetch.id, Fetch.url, Fetch.final_url, Fetch.source_id, Fetch.kind, Fetch.status,
                    Fetch.not_modified, Fetch.fetched_at, Fetch.body_sha256, Fetch.title, Fetch.published,
                    Fetch.error, Fetch.content_type, Fetch.run_id)


@dataclass
class History:
    url: str
    release: Release
    snapshots: list[Fetch]  # newest first
    sizes: dict[str, int] = field(default_factory=dict)
    previous: dict[int, int] = field(default_factory=dict)  # fetch id -> older fetch with other content


def url_history(session: Session, url: str, limit: int = HISTORY_LIMIT) -> list[Fetch]:
    """Stored fetches of a URL (also those redirected to it), newest first, without bodies."""
    return list(session.scalars(
        select(Fetch).where(or_(Fetch.url == url, Fetch.final_url == url))
        .options(load_only(*SNAPSHOT_COLUMNS)).order_by(Fetch.id.desc()).limit(limit)))


def snapshot_history(session: Session, release: Release, limit: int = HISTORY_LIMIT) -> History:
    """Every stored fetch of a release's URL with body sizes, newest first."""
    snaps = url_history(session, release.url, limit)
    digests = {f.body_sha256 for f in snaps if f.body_sha256}
    sizes = dict(session.execute(select(Body.sha256, Body.size).where(Body.sha256.in_(digests))).all()) \
        if digests else {}
    previous: dict[int, int] = {}
    with_body = [f for f in snaps if f.body_sha256]
    for newer, older in zip(with_body, with_body[1:], strict=False):
        if newer.body_sha256 != older.body_sha256:  # the content changed with this snapshot
            previous[newer.id] = older.id
    return History(release.url, release, list(snaps), sizes, previous)


def release_with_event(session: Session, release_id: int) -> Release | None:
    return session.scalar(select(Release).where(Release.id == release_id).options(
        selectinload(Release.event).selectinload(Event.releases), selectinload(Release.versions)))


def corrections_of(session: Session, release_id: int):
    from storage.models import Correction

    return session.scalars(select(Correction).where(Correction.release_id == release_id)
                           .order_by(Correction.id.desc())).all()


def release_for_url(session: Session, url: str) -> Release | None:
    return session.scalar(select(Release).where(Release.url == url).options(
        load_only(Release.id, Release.title)))


def runs_page(session: Session, number: int, per_page: int = 20) -> Page[Run]:
    query = select(Run).order_by(Run.id.desc()).options(selectinload(Run.sources))
    return paginate(session, query, number, per_page)


@dataclass
class SourceRow:
    id: str
    name: str
    ki: str
    url: str | None
    enabled: bool
    health: SourceHealth | None
    latest: RunSource | None
    releases: int
    last_fetch: datetime | None

    @property
    def broken(self) -> bool:
        return self.health is not None and self.health.failing()


def sources_overview(session: Session) -> list[SourceRow]:
    """Every known source with its health; broken ones first."""
    health = source_health(session)
    sources = {s.id: s for s in session.scalars(select(Source))}
    latest_ids = select(RunSource.source_id, func.max(RunSource.run_id).label("run_id")) \
        .group_by(RunSource.source_id).subquery()
    latest = {rs.source_id: rs for rs in session.scalars(select(RunSource).join(
        latest_ids, (RunSource.source_id == latest_ids.c.source_id) & (RunSource.run_id == latest_ids.c.run_id)))}
    counts = dict(session.execute(select(Release.source_id, func.count()).group_by(Release.source_id)).all())
    fetched = dict(session.execute(select(Fetch.source_id, func.max(Fetch.fetched_at)).group_by(Fetch.source_id)).all())
    rows = []
    for sid in sorted(set(sources) | set(health) | set(latest)):
        s = sources.get(sid)
        rows.append(SourceRow(sid, s.name if s else sid, s.ki if s else "", s.url if s else None,
                              s.enabled if s else True, health.get(sid), latest.get(sid), counts.get(sid, 0),
                              fetched.get(sid)))
    return sorted(rows, key=lambda r: (not r.broken, -(r.health.failing_runs if r.health else 0), r.id))


def version_fetch_pairs(release: Release) -> list[tuple[ReleaseVersion, ReleaseVersion]]:
    """Consecutive text versions of a release, for diff links."""
    versions = [v for v in release.versions if v.fetch_id]
    return list(zip(versions, versions[1:], strict=False))
