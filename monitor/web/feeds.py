"""Feed routes: ``/feeds/<slug>.xml`` (RSS 2.0), ``/feeds/<slug>.atom`` (Atom) and an index
that lists every feed with ``<link rel="alternate">`` so readers discover them.

The files are the ones a run writes atomically; they are served with a validator derived
from their bytes, so an unchanged feed answers ``304 Not Modified`` however often a reader
polls, and gzip when the reader accepts it. The review pages own ``/`` and carry the main feed
links there.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from html import escape
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.http import http_date

from monitor.feeds import FeedConfig, FeedSpec, feed_specs
from scrapers.sources import SLUG

feeds_bp = Blueprint("feeds", __name__)

MIME = {"xml": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8",
        "json": "application/feed+json; charset=utf-8"}
KINDS = {"RSS": "xml", "Atom": "atom", "JSON Feed": "json"}  # as the index names them
MAIN = ("ki-news", "besuche", "foerderung", "status")
GZIP_MIN = 512  # smaller bodies are not worth compressing


@dataclass(frozen=True)
class FeedFile:
    data: bytes
    gz: bytes
    etag: str  # weak: the gzip and identity bodies are equivalent representations
    modified: datetime


@cache
def _specs() -> dict[str, FeedSpec]:
    return {s.slug: s for s in feed_specs(FeedConfig.from_env())}


@cache
def _load(path: Path, mtime_ns: int, size: int) -> FeedFile:
    """Read and hash once per version of the file (key: path, mtime, size)."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:32]
    modified = datetime.fromtimestamp(mtime_ns // 1_000_000_000, UTC)
    return FeedFile(data, gzip.compress(data, 6, mtime=0), digest, modified)


def feeds_dir() -> Path:
    return Path(current_app.config["KI"].feeds_dir)


def _not_modified(feed: FeedFile) -> bool:
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    if request.if_none_match:
        return request.if_none_match.contains_weak(feed.etag) or request.if_none_match.star_tag
    since = request.if_modified_since
    return since is not None and feed.modified <= since


def _headers(resp: Response, feed: FeedFile) -> Response:
    resp.set_etag(feed.etag, weak=True)
    resp.headers["Last-Modified"] = http_date(feed.modified)
    # Readers may keep a copy but must ask again; the 304 makes that cheap.
    resp.headers["Cache-Control"] = "no-cache"
    resp.vary.add("Accept-Encoding")
    return resp


@feeds_bp.get("/feeds/<slug>.<ext>")
def feed(slug: str, ext: str) -> Response:
    if ext not in MIME or not SLUG.match(slug) or slug not in _specs():
        abort(404)
    path = feeds_dir() / f"{slug}.{ext}"
    try:
        st = path.stat()
    except FileNotFoundError:
        abort(404, "Feed noch nicht geschrieben: erst `ki-monitor run` ausführen.")
    feed = _load(path, st.st_mtime_ns, st.st_size)
    if _not_modified(feed):
        return _headers(Response(status=304), feed)
    gz = request.accept_encodings["gzip"] > 0 and len(feed.data) >= GZIP_MIN
    resp = Response(feed.gz if gz else feed.data, content_type=MIME[ext])
    if gz:
        resp.headers["Content-Encoding"] = "gzip"
    return _headers(resp, feed)


def _link_tags(slugs: list[str] | None = None) -> str:
    specs = _specs()
    chosen = [specs[s] for s in (slugs or list(specs)) if s in specs]
    return "\n".join(
        f'<link rel="alternate" type="{MIME[ext].split(";")[0]}" title="{escape(s.title)} ({kind})" '
        f'href="/feeds/{s.slug}.{ext}">'
        for s in chosen for kind, ext in KINDS.items()
    )


def _section(title: str, specs: list[FeedSpec]) -> str:
    rows = "".join(
        f'<li>{escape(s.title)}: '
        + " · ".join(f'<a href="/feeds/{s.slug}.{ext}">{kind}</a>' for kind, ext in KINDS.items())
        + f"<br><small>{escape(s.description)}</small></li>" for s in specs
    )
    return f"<h2>{escape(title)}</h2><ul>{rows}</ul>"


def index_html() -> str:
    specs = list(_specs().values())
    main = [s for s in specs if s.slug in MAIN]
    kis = [s for s in specs if s.slug.startswith("ki-") and s.slug not in MAIN]
    rbs = [s for s in specs if s.slug.startswith("rb-")]
    return (
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>KI-Monitor NRW – Feeds</title>\n'
        f"{_link_tags()}\n</head><body><h1>KI-Monitor NRW – Feeds</h1>"
        "<p>Besuche und Förderung der Kommunalen Integrationszentren in NRW als RSS 2.0, Atom und "
        "JSON Feed (alle auf einmal abonnieren: <a href=\"/feeds.opml\">OPML</a>). "
        "Feed-Reader finden die Feeds auch über die Adresse dieser Seite.</p>"
        f"{_section('Übersicht', main)}{_section('Regierungsbezirke', rbs)}"
        f"{_section('Kommunale Integrationszentren', kis)}</body></html>"
    )


@feeds_bp.get("/feeds/")
def index() -> Response:
    return Response(index_html(), content_type="text/html; charset=utf-8")
