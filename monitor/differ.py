"""The differ: turns stored fetches into releases and records what is new, updated or removed.

It works from database state, not from a run's memory: every fetch not yet ``diffed`` is
compared with the release it belongs to, in fetch order, and marked done in the same
transaction. A run killed at any point leaves the rest for the next one, and a fetch can
never be announced twice.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.clock import now as default_now
from storage.models import Change, Fetch, Release, ReleaseVersion, RunSource

GONE = (404, 410)
# Tokens that change without the release changing: dates, times, counters ("Stand: …").
VOLATILE = re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}:\d{2}(uhr)?|\d{4}-\d{2}-\d{2}|stand:?|uhr|aktualisiert:?)$")


@dataclass
class DiffResult:
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def count(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated), "removed": len(self.removed)}


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w[\w:.\-]*", text.lower()) if not VOLATILE.match(w.rstrip("."))]


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def material_change(old: str, new: str, min_words: int = 3) -> bool:
    """True when the main text changed by at least ``min_words`` words, dates and times aside."""
    if text_hash(old) == text_hash(new):
        return False
    a, b = words(old), words(new)
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if tag != "equal"
    )
    return changed >= min_words


def unified_diff(old: str, new: str, old_label: str = "vorher", new_label: str = "nachher") -> str:
    return "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm=""))


class Differ:
    def __init__(self, session: Session, clock: Callable[[], datetime] = default_now, min_words: int = 3) -> None:
        self.session = session
        self.clock = clock
        self.min_words = min_words
        self.result = DiffResult()

    def run(self, run_id: int | None = None) -> DiffResult:
        pending = self.session.scalars(select(Fetch).where(Fetch.diffed.is_(False)).order_by(Fetch.id))
        for fetch in pending:
            if fetch.kind == "release":
                self.apply(fetch)
            fetch.diffed = True
        if run_id is not None:
            self.mark_missing(run_id)
        self.session.flush()
        return self.result

    def apply(self, fetch: Fetch) -> None:
        url = fetch.final_url if fetch.status in (200, 304) else fetch.url
        release = self.session.scalar(select(Release).where(Release.url.in_({url, fetch.url})))
        if fetch.status in GONE:
            if release is not None and release.removed_at is None:
                self.remove(release, fetch.run_id, f"HTTP {fetch.status}")
            return
        if fetch.status not in (200, 304) or not fetch.text:
            return  # errors and empty pages change nothing; RunSource keeps the error
        when = self.clock()
        title = fetch.title or fetch.listing_title or url
        published = fetch.published or fetch.listing_date
        if release is None:
            release = Release(
                source_id=fetch.source_id, url=url, title=title, published=published, text=fetch.text,
                text_hash=text_hash(fetch.text), language=fetch.language, first_seen_at=when,
                last_seen_at=when, last_fetch_id=fetch.id,
            )
            self.session.add(release)
            self.session.flush()
            self.record(release, fetch, "new")
            self.result.new.append(release.id)
            return
        release.last_seen_at, release.last_fetch_id = when, fetch.id
        if release.removed_at is not None:
            release.removed_at = None  # back in the listing
        if material_change(release.text, fetch.text, self.min_words):
            diff = unified_diff(release.text, fetch.text)
            release.title, release.text, release.text_hash = title, fetch.text, text_hash(fetch.text)
            release.published = published or release.published
            release.updated_at = when
            self.record(release, fetch, "updated", diff)
            self.result.updated.append(release.id)

    def record(self, release: Release, fetch: Fetch, kind: str, diff: str | None = None) -> None:
        version = ReleaseVersion(release_id=release.id, fetch_id=fetch.id, title=release.title, text=release.text,
                                 text_hash=release.text_hash, created_at=self.clock())
        self.session.add(version)
        self.session.flush()
        self.session.add(Change(run_id=fetch.run_id, source_id=release.source_id, release_id=release.id,
                                version_id=version.id, kind=kind, diff=diff, created_at=self.clock()))

    def remove(self, release: Release, run_id: int | None, why: str) -> None:
        release.removed_at = self.clock()
        self.session.add(Change(run_id=run_id, source_id=release.source_id, release_id=release.id, kind="removed",
                                diff=why, created_at=self.clock()))
        self.result.removed.append(release.id)

    def mark_missing(self, run_id: int) -> None:
        """Releases gone from a listing that was walked completely in this run are removed.

        Only listings count: a feed or a bounded walk shows just the newest items, so an
        absence there says nothing.
        """
        complete = self.session.scalars(select(RunSource).where(
            RunSource.run_id == run_id, RunSource.complete.is_(True), RunSource.status == "ok",
            RunSource.discovery == "listing"))
        for rs in complete:
            seen = set(self.session.scalars(select(Fetch.url).where(Fetch.run_id == run_id, Fetch.source_id == rs.source_id)))
            seen |= set(self.session.scalars(select(Fetch.final_url).where(Fetch.run_id == run_id, Fetch.source_id == rs.source_id)))
            if not seen:
                continue
            for release in self.session.scalars(select(Release).where(
                    Release.source_id == rs.source_id, Release.removed_at.is_(None))):
                if release.url not in seen:
                    self.remove(release, run_id, "no longer listed")

    def tally(self, run_id: int) -> None:
        """Per-source new/updated/removed counts of this run, for ``ki-monitor runs``."""
        for rs in self.session.scalars(select(RunSource).where(RunSource.run_id == run_id)):
            changes = self.session.scalars(select(Change.kind).where(Change.run_id == run_id, Change.source_id == rs.source_id)).all()
            rs.new, rs.updated, rs.removed = (changes.count(k) for k in ("new", "updated", "removed"))
