"""Snapshot store: response bodies kept compressed, once per distinct content."""

from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Body, Fetch


def body_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_body(session: Session, data: bytes) -> str:
    """Store ``data`` unless an identical body is stored already; return its hash."""
    digest = body_hash(data)
    if session.get(Body, digest) is None:
        session.add(Body(sha256=digest, size=len(data), data=zlib.compress(data, 6)))
        session.flush()
    return digest


def get_body(session: Session, digest: str | None) -> bytes | None:
    if digest is None:
        return None
    body = session.get(Body, digest)
    return zlib.decompress(body.data) if body else None


def latest_fetches(session: Session, source_id: str) -> dict[str, Fetch]:
    """The newest stored good response per URL of a source: validators for conditional GET."""
    good = (Fetch.source_id == source_id, Fetch.status.in_((200, 304)), Fetch.body_sha256.is_not(None))
    # Only the newest row per URL leaves the database: the history grows with every run.
    newest = select(func.max(Fetch.id)).where(*good).group_by(Fetch.url)
    return {f.url: f for f in session.scalars(select(Fetch).where(Fetch.id.in_(newest)))}
