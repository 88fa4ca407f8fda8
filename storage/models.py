"""Database models.

Data flows one way: the crawl writes ``Fetch`` rows (every response, body stored once per
distinct content in ``Body``); the monitor turns fetches into ``Release`` rows with their
``ReleaseVersion`` history and ``Change`` records, groups releases into ``Event`` rows and
builds feeds from events. ``Run``/``RunSource`` keep the history of each run.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A site or feed we watch; mirrors an entry of the source registry (TOML)."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    ki: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(Text)
    discovery: Mapped[str] = mapped_column(String(20), default="auto")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Body(Base):
    """A distinct response body, zlib-compressed, addressed by the SHA-256 of the raw bytes."""

    __tablename__ = "bodies"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # running | ok | partial (some sources failed) | failed | interrupted
    status: Mapped[str] = mapped_column(String(20), default="running")
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    pid: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[RunSource]] = relationship(back_populates="run", order_by="RunSource.source_id")


class RunSource(Base):
    """Per-run, per-source figures: what the crawl did and what the differ found."""

    __tablename__ = "run_sources"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|ok|failed
    discovery: Mapped[str | None] = mapped_column(String(20))  # backfill|full|daily: how far this run walked
    requests: Mapped[int] = mapped_column(Integer, default=0)
    responses: Mapped[dict] = mapped_column(JSON, default=dict)  # {"200": 12, "304": 40}
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)  # every channel walked to its end
    # Discovery per channel: {"mode": "backfill", "pages": {"feed": 1, ...}, "found": {"sitemap": 420, ...},
    # "new": 12, "known": 400, "budget": 3000, "budget_exhausted": false}
    channels: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    error_text: Mapped[str | None] = mapped_column(Text)
    run: Mapped[Run] = relationship(back_populates="sources")


class Fetch(Base):
    """One HTTP exchange (a snapshot). ``not_modified`` marks a 304 answered from our store."""

    __tablename__ = "fetches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    source_id: Mapped[str] = mapped_column(String(80), index=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    final_url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # release | listing | feed | sitemap
    status: Mapped[int] = mapped_column(Integer)
    not_modified: Mapped[bool] = mapped_column(Boolean, default=False)
    content_type: Mapped[str | None] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(100))
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    body_sha256: Mapped[str | None] = mapped_column(ForeignKey("bodies.sha256"))
    # What extraction found in the body (release pages only).
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(10))
    listing_title: Mapped[str | None] = mapped_column(Text)
    listing_date: Mapped[date | None] = mapped_column(Date)
    error: Mapped[str | None] = mapped_column(Text)
    # Set by the differ once this fetch has been compared with the stored release.
    diffed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    body: Mapped[Body | None] = relationship()


class Event(Base):
    """One real-world happening (a visit, a grant) that one or more releases report."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(80), unique=True)
    key: Mapped[str] = mapped_column(Text, index=True)
    label: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    update_note: Mapped[str | None] = mapped_column(Text)
    releases: Mapped[list[Release]] = relationship(back_populates="event", order_by="Release.id")


class Release(Base):
    """One press release, identified by its canonical URL, with the current extracted state."""

    __tablename__ = "releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(80), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(10))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id", ondelete="SET NULL"))
    # Analysis (monitor.analysis); ``label`` is None until analysed.
    label: Mapped[str | None] = mapped_column(String(20), index=True)
    ki: Mapped[list] = mapped_column(JSON, default=list)
    visitors: Mapped[list] = mapped_column(JSON, default=list)
    amounts_eur: Mapped[list] = mapped_column(JSON, default=list)
    event_date: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    analysis_version: Mapped[str | None] = mapped_column(String(40))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    corrected_label: Mapped[str | None] = mapped_column(String(20))
    event: Mapped[Event | None] = relationship(back_populates="releases")
    versions: Mapped[list[ReleaseVersion]] = relationship(
        back_populates="release", order_by="ReleaseVersion.id", cascade="all, delete-orphan"
    )

    @property
    def effective_label(self) -> str | None:
        """A reviewer's correction wins over the analysis."""
        return self.corrected_label or self.label


class ReleaseVersion(Base):
    """The history of a release's extracted text; a new row on each material change."""

    __tablename__ = "release_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    release: Mapped[Release] = relationship(back_populates="versions")


class Change(Base):
    """What the differ found in a run: a release that is new, updated or removed."""

    __tablename__ = "changes"
    __table_args__ = (UniqueConstraint("release_id", "kind", "version_id", name="uq_change_once"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    source_id: Mapped[str] = mapped_column(String(80), index=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("release_versions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # new | updated | removed
    diff: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    release: Mapped[Release] = relationship()
    version: Mapped[ReleaseVersion | None] = relationship()


class Correction(Base):
    """A reviewer's verdict on a release's label; wins over the analysis."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Digest(Base):
    """A daily digest mail, claimed before it is sent: one row per day, so repeated runs and a
    restarted scheduler never send the same day twice."""

    __tablename__ = "digests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)  # in the schedule's time zone
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # events found from here ...
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # ... up to here
    status: Mapped[str] = mapped_column(String(20))  # sending | sent | failed
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    event_ids: Mapped[list] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class Lock(Base):
    """Named advisory locks (e.g. ``run``) so a manual and a scheduled run never overlap."""

    __tablename__ = "locks"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(Text)
    pid: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index("ix_fetches_source_url", Fetch.source_id, Fetch.url)
