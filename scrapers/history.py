"""What earlier runs of a source left behind, read once when its spider opens.

The spider needs it to decide how far to walk: a new source is backfilled through every
channel; later runs re-read the cheap channels (the feeds and sitemaps that held releases
before, the first list pages — all with conditional GET) and go deeper only while they meet
unknown releases; every ``full_walk`` interval the whole site is walked again to notice edits
and removals deep in the archive. A daily run revalidates only the known releases its news
channels list, and only where that can be a 304: the server gave validators, and the site does
not embed session ids in its links (such pages change with every visit, so each revalidation
would download them again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from storage.db import open_db
from storage.models import Fetch, RunSource

WALKS = ("backfill", "full")


@dataclass
class SourceHistory:
    has_run: bool = False  # an earlier run of this source finished ok
    last_walk: datetime | None = None  # start of the last complete backfill or full walk
    known: dict[str, str] = field(default_factory=dict)  # release URL or alias → canonical URL
    fetched: dict[str, datetime] = field(default_factory=dict)  # canonical release URL → last fetch
    channels: list[tuple[str, str]] = field(default_factory=list)  # (feed|sitemap, url) that answered
    validated: set[str] = field(default_factory=set)  # canonical release URLs with ETag or Last-Modified
    session_ids: bool = False  # the site embeds session ids in its links (its pages change every visit)


def load_history(db: str | None, source_id: str) -> SourceHistory:
    history = SourceHistory()
    with open_db(db)() as session:
        ok = select(RunSource.started_at, RunSource.discovery, RunSource.complete, RunSource.channels).where(
            RunSource.source_id == source_id, RunSource.status == "ok").order_by(RunSource.started_at)
        for started, mode, complete, channels in session.execute(ok):
            history.has_run = True
            history.session_ids = bool((channels or {}).get("session_ids"))  # the latest run's finding
            if mode in WALKS and complete and (history.last_walk is None or _aware(started) > history.last_walk):
                history.last_walk = _aware(started)
        # Every release page fetched before, also one that failed to extract (a broken PDF is
        # retried on the full walk, not every day).
        releases = select(Fetch.url, Fetch.final_url, func.max(Fetch.fetched_at), func.max(Fetch.etag),
                          func.max(Fetch.last_modified)).where(
            Fetch.source_id == source_id, Fetch.kind == "release", Fetch.status.in_((200, 304))
        ).group_by(Fetch.url, Fetch.final_url)
        for url, final, when, etag, modified in session.execute(releases):
            history.known[url] = final
            history.known[final] = final
            history.fetched[final] = max(filter(None, (history.fetched.get(final), _aware(when))))
            if etag or modified:
                history.validated.add(final)
        channels = select(Fetch.kind, Fetch.url).where(
            Fetch.source_id == source_id, Fetch.kind.in_(("feed", "sitemap")), Fetch.status.in_((200, 304))
        ).group_by(Fetch.kind, Fetch.url)
        history.channels = [(kind, url) for kind, url in session.execute(channels)]
    return history


def _aware(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
