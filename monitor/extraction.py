"""Extraction of stored fetches that the crawl left raw (``KI_MONITOR_EXTRACT_LATER``).

``ki-monitor run`` lets the crawl process only download and store; this stage fills in title,
text, date and language from the stored bodies while the crawl goes on. The CPU work happens
outside any transaction, so the crawl's writes never wait for it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.differ import RAW
from scrapers.extract import extract
from storage.db import transaction
from storage.models import Fetch, Source
from storage.snapshots import get_body


def _raw(session: Session, limit: int | None):
    return session.scalars(select(Fetch).where(Fetch.diffed.is_(False), RAW).order_by(Fetch.id).limit(limit))


def extract_pending(factory: sessionmaker[Session], limit: int | None = None) -> int:
    """Extract up to ``limit`` raw release fetches; returns how many were handled."""
    with factory() as session:
        hints = {s.id: (s.config or {}).get("hints", {}) for s in session.scalars(select(Source))}
        todo = [(f.id, get_body(session, f.body_sha256), f.final_url, f.content_type, hints.get(f.source_id, {}))
                for f in _raw(session, limit)]
    results = [(fid, extract(body or b"", url, ctype, source_hints)) for fid, body, url, ctype, source_hints in todo]
    if not results:
        return 0
    with transaction(factory) as session:
        fetches = {f.id: f for f in session.scalars(select(Fetch).where(Fetch.id.in_([fid for fid, _ in results])))}
        for fid, result in results:
            fetch = fetches[fid]
            fetch.title, fetch.text, fetch.published = result.title, result.text, result.published
            fetch.language, fetch.error = result.language, result.error
    return len(results)
