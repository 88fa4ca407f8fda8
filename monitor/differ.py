"""The differ: turns stored fetches into releases and records what is new, updated or removed.

It works from database state, not from a run's memory: every fetch not yet ``diffed`` is
compared with the release it belongs to, in fetch order, and marked done in the same
transaction. A run killed at any point leaves the rest for the next one, and a fetch can
never be announced twice (``Change`` also carries a unique constraint per version).

Only a 404/410 or absence from a fully walked listing removes a release. A release page that
answers 5xx, loops, cannot be reached or does not extract (a broken or text-less PDF) changes
nothing stored, but is counted as an error on its source's run, once per fetch (the fetch is
marked diffed in the same transaction), so it shows in ``runs``, ``status`` and the status feed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from monitor.clock import BERLIN
from monitor.clock import now as default_now
from scrapers.dates import publication_date
from storage.models import Change, Fetch, Release, ReleaseVersion, RunSource

GONE = (404, 410)
# Tokens that change without the release changing: dates, times, counters ("Stand: …").
VOLATILE = re.compile(
    r"^(\d{1,2}\.\d{1,2}\.(\d{2,4})?|\d{1,2}:\d{2}(uhr)?|\d{4}-\d{2}-\d{2}|stand:?|uhr|aktualisiert:?"
    r"|zuletzt|geändert:?)$"
)
# Whole lines that are page furniture, should extraction let them through: cookie banners,
# "Stand"/"Seite x von y" footers, share and print bars. They never make a change material.
BOILERPLATE = re.compile(
    r"(cookie|datenschutzeinstellung|alle akzeptieren|^\s*(stand|zuletzt (geändert|aktualisiert))\b"
    r"|^\s*seite \d+ von \d+\s*$|^\s*(teilen|drucken|seite drucken|nach oben|zurück)\s*$"
    r"|^\s*©)",
    re.IGNORECASE,
)
NOTE_CHARS = 240


@dataclass
class DiffResult:
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def extend(self, other: DiffResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.removed += other.removed

    def merged(self, other: DiffResult) -> DiffResult:
        out = DiffResult(list(other.new), list(other.updated), list(other.removed))
        out.extend(self)
        return out

    def count(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated), "removed": len(self.removed)}


def main_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not BOILERPLATE.search(line)]


def words(text: str) -> list[str]:
    body = "\n".join(main_lines(text)).lower()
    return [w for w in re.findall(r"\w[\w:.\-]*", body) if not VOLATILE.match(w.rstrip("."))]


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def material_change(old: str, new: str, min_words: int = 3) -> bool:
    """True when the main text changed by at least ``min_words`` words.

    Dates, times and furniture lines (cookie banner, "Stand:" footer) are left out first, so a
    re-rendered footer date or a new banner never counts; a reworded sentence does.
    """
    if text_hash(old) == text_hash(new):
        return False
    a, b = words(old), words(new)
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if tag != "equal"
    )
    return changed >= min_words


def change_note(old: str, new: str, limit: int = NOTE_CHARS) -> str:
    """A one-line German summary of what changed, for the feed's "aktualisiert" mark."""
    a, b = main_lines(old), main_lines(new)
    added, removed = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]

    def cut(lines: list[str]) -> str:
        s = " ".join(" ".join(lines).split())
        return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"

    parts = [f"neu: „{cut(added)}“" if added else "", f"entfernt: „{cut(removed)}“" if removed else ""]
    return "; ".join(p for p in parts if p) or "Text geändert"


def unified_diff(old: str, new: str, old_label: str = "vorher", new_label: str = "nachher") -> str:
    return "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm=""))


# A release page the crawl stored but extraction has not reached yet: not ready to compare.
RAW = and_(Fetch.kind == "release", Fetch.status == 200, Fetch.text.is_(None), Fetch.error.is_(None),
           Fetch.body_sha256.is_not(None))


class Differ:
    def __init__(self, session: Session, clock: Callable[[], datetime] = default_now, min_words: int = 3) -> None:
        self.session = session
        self.clock = clock
        self.min_words = min_words
        self.result = DiffResult()
        self.runs_touched: set[int] = set()
        self.processed = 0  # fetches handled by the last run()
        self.known: dict[str, Release] = {}  # releases of the batch by URL
        self.created: list[Release] = []
        self.failures: dict[tuple[int, str], list[str]] = {}  # (run, source) -> failed releases

    def run(self, run_id: int | None = None, limit: int | None = None) -> DiffResult:
        """Process pending fetches (at most ``limit``); with ``run_id``, also removals of that run."""
        pending = self.session.scalars(
            select(Fetch).where(Fetch.diffed.is_(False), ~RAW).order_by(Fetch.id).limit(limit)).all()
        self.processed = len(pending)
        # One query for the releases of the whole batch instead of one per fetch.
        urls = {u for f in pending if f.kind == "release" for u in (f.url, f.final_url)}
        self.known = {r.url: r for r in self.session.scalars(select(Release).where(Release.url.in_(urls)))}
        for fetch in pending:
            if fetch.kind == "release":
                self.apply(fetch)
            fetch.diffed = True
            if fetch.run_id is not None:
                self.runs_touched.add(fetch.run_id)
        if run_id is not None:
            self.mark_missing(run_id)
        self.count_failures()
        self.session.flush()
        self.result.new += [r.id for r in self.created]
        self.created.clear()
        return self.result

    def note_failure(self, fetch: Fetch) -> None:
        """A release fetch that answered an error (not 404/410) or did not extract."""
        if fetch.run_id is None:
            return
        why = f"HTTP {fetch.status}" if fetch.status != 200 else fetch.error
        self.failures.setdefault((fetch.run_id, fetch.source_id), []).append(f"release {fetch.url}: {why}")

    def count_failures(self) -> None:
        for (run_id, source_id), problems in self.failures.items():
            self.session.execute(update(RunSource).where(
                RunSource.run_id == run_id, RunSource.source_id == source_id).values(
                errors=RunSource.errors + len(problems)))
            rs = self.session.get(RunSource, (run_id, source_id))
            if rs is not None and not rs.error_text:
                rs.error_text = problems[0]
        self.failures.clear()

    def release_for(self, fetch: Fetch, url: str) -> Release | None:
        return self.known.get(url) or self.known.get(fetch.url)

    def apply(self, fetch: Fetch) -> None:
        url = fetch.final_url if fetch.status in (200, 304) else fetch.url
        release = self.release_for(fetch, url)
        if fetch.status in GONE:
            if release is not None and release.removed_at is None:
                self.remove(release, fetch.run_id, f"HTTP {fetch.status}")
            return
        if fetch.status >= 400 or (fetch.status == 200 and fetch.error):
            self.note_failure(fetch)  # (status 0, no reply at all: the crawl counted it)
        if fetch.status == 304 and not fetch.text and release is not None:
            # Unchanged (a 304 row keeps no text of its own): seen again, nothing to compare.
            release.last_seen_at = self.clock()
            release.removed_at = None
            return
        if fetch.status not in (200, 304) or not fetch.text:
            return  # errors and empty pages change nothing stored
        when = self.clock()
        title = fetch.title or fetch.listing_title or url
        published = publication_date(fetch.published, fetch.listing_date)
        if release is None:
            release = Release(
                source_id=fetch.source_id, url=url, title=title, published=published, text=fetch.text,
                text_hash=text_hash(fetch.text), language=fetch.language, first_seen_at=when,
                last_seen_at=when, last_fetch_id=fetch.id,
            )
            self.session.add(release)
            self.known[url] = release
            self.record(release, fetch, "new")
            self.created.append(release)  # its id exists after the batch's one flush
            return
        release.last_seen_at, release.last_fetch_id = when, fetch.id
        if release.removed_at is not None:
            release.removed_at = None  # back in the listing
        if material_change(release.text, fetch.text, self.min_words):
            diff = unified_diff(release.text, fetch.text)
            note = change_note(release.text, fetch.text)
            release.title, release.text, release.text_hash = title, fetch.text, text_hash(fetch.text)
            release.published = published or release.published
            release.updated_at = when
            self.record(release, fetch, "updated", diff)
            self.result.updated.append(release.id)
            self.mark_event(release, when, note)

    def mark_event(self, release: Release, when: datetime, note: str) -> None:
        """The event keeps its GUID; feeds show it as updated, with what changed."""
        event = release.event
        if event is None:
            return  # analysis assigns one later; a first report is not an update
        event.updated_at = when
        event.update_note = f"{when.astimezone(BERLIN):%d.%m.%Y}, {release.source_id}: {note}"

    def record(self, release: Release, fetch: Fetch, kind: str, diff: str | None = None) -> None:
        version = ReleaseVersion(release=release, fetch_id=fetch.id, title=release.title, text=release.text,
                                 text_hash=release.text_hash, created_at=self.clock())
        self.session.add(Change(run_id=fetch.run_id, source_id=release.source_id, release=release,
                                version=version, kind=kind, diff=diff, created_at=self.clock()))

    def remove(self, release: Release, run_id: int | None, why: str) -> None:
        release.removed_at = self.clock()
        self.session.add(Change(run_id=run_id, source_id=release.source_id, release_id=release.id, kind="removed",
                                diff=why, created_at=self.clock()))
        self.result.removed.append(release.id)
        if run_id is not None:
            self.runs_touched.add(run_id)

    def mark_missing(self, run_id: int) -> None:
        """Releases gone from every channel of a source walked completely in this run are removed.

        The spider calls a walk complete only when a list or sitemap was walked to its end
        within the budget: a feed or a daily run shows just the newest items, so an absence
        there says nothing.
        """
        complete = self.session.scalars(select(RunSource).where(
            RunSource.run_id == run_id, RunSource.complete.is_(True), RunSource.status == "ok"))
        for rs in complete:
            rows = self.session.execute(select(Fetch.url, Fetch.final_url).where(
                Fetch.run_id == run_id, Fetch.source_id == rs.source_id)).all()
            seen = {u for row in rows for u in row}
            if not seen:
                continue
            for release in self.session.scalars(select(Release).where(
                    Release.source_id == rs.source_id, Release.removed_at.is_(None))):
                if release.url not in seen:
                    self.remove(release, run_id, "no longer listed")

    def tally(self, run_id: int) -> None:
        """Per-source new/updated/removed counts, for ``ki-monitor runs``.

        Also recounts earlier runs whose fetches were diffed only now (a killed run's pages
        are processed by the next run, but stay attributed to the run that fetched them).
        """
        for rid in self.runs_touched | {run_id}:
            for rs in self.session.scalars(select(RunSource).where(RunSource.run_id == rid)):
                changes = self.session.scalars(select(Change.kind).where(
                    Change.run_id == rid, Change.source_id == rs.source_id)).all()
                rs.new, rs.updated, rs.removed = (changes.count(k) for k in ("new", "updated", "removed"))
