"""WARC export of stored snapshots (warcio): a request/response pair per fetch.

Responses carry the stored status, headers and body; a fetch answered ``304`` from our
store becomes a ``revisit`` record (identical payload) pointing at the first full response
with that body, as crawlers such as Heritrix write them. The bodies are stored decoded, so
transfer/content encodings are dropped and ``Content-Length`` is set to the stored size.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.models import Fetch
from storage.snapshots import get_body

DROPPED = {"content-length", "content-encoding", "transfer-encoding"}
USER_AGENT = "ki-monitor"


@dataclass
class WarcStats:
    responses: int = 0
    revisits: int = 0
    skipped: int = 0  # fetches without an HTTP answer (connection errors)


def warc_date(dt: datetime) -> str:
    dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(body: bytes) -> str:
    """Same form as warcio writes for responses, so revisits match their originals."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request(writer: WARCWriter, fetch: Fetch, uri: str, date: str):
    parts = urlsplit(uri)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), ("User-Agent", USER_AGENT)]
    if fetch.not_modified:  # we asked conditionally; record what the server saw
        if fetch.etag:
            headers.append(("If-None-Match", fetch.etag))
        if fetch.last_modified:
            headers.append(("If-Modified-Since", fetch.last_modified))
    http = StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)
    return writer.create_warc_record(uri, "request", payload=BytesIO(b""), length=0, http_headers=http,
                                     warc_headers_dict={"WARC-Date": date})


def _http_headers(fetch: Fetch, status: int, length: int | None) -> StatusAndHeaders:
    items = [(k.title(), str(v)) for k, v in (fetch.headers or {}).items() if k.lower() not in DROPPED]
    if length is not None:
        items.append(("Content-Length", str(length)))
    return StatusAndHeaders(f"{status} {_reason(status)}", items, protocol="HTTP/1.1")


def fetches(session: Session, since: datetime | None = None, source_id: str | None = None) -> Iterator[Fetch]:
    query = select(Fetch).order_by(Fetch.id)
    if since is not None:
        query = query.where(Fetch.fetched_at >= since)
    if source_id:
        query = query.where(Fetch.source_id == source_id)
    yield from session.scalars(query).yield_per(200)


def export_warc(session: Session, out: BinaryIO, since: datetime | None = None, source_id: str | None = None,
                compress: bool = True, filename: str = "ki-monitor.warc.gz") -> WarcStats:
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": "ki-monitor (warcio)", "format": "WARC File Format 1.0",
        "description": "Snapshots of press releases about NRW's Kommunale Integrationszentren",
    }))
    stats = WarcStats()
    originals: dict[tuple[str, str], tuple[str, str]] = {}  # (uri, body sha) -> (uri, date) of the 200
    for fetch in fetches(session, since, source_id):
        if not fetch.status or fetch.status < 100:
            stats.skipped += 1
            continue
        uri, date = fetch.final_url or fetch.url, warc_date(fetch.fetched_at)
        body = get_body(session, fetch.body_sha256) or b""
        key = (uri, fetch.body_sha256 or "")
        if fetch.not_modified and key in originals:
            ref_uri, ref_date = originals[key]
            record = writer.create_revisit_record(
                uri, payload_digest(body), ref_uri, ref_date, http_headers=_http_headers(fetch, 304, None),
                warc_headers_dict={"WARC-Date": date})
            stats.revisits += 1
        else:
            # A 304 whose original predates --since is written out in full: the file stays usable alone.
            status = 200 if fetch.not_modified else fetch.status
            record = writer.create_warc_record(uri, "response", payload=BytesIO(body), length=len(body),
                                               http_headers=_http_headers(fetch, status, len(body)),
                                               warc_headers_dict={"WARC-Date": date})
            originals.setdefault(key, (uri, date))
            stats.responses += 1
        writer.write_request_response_pair(_request(writer, fetch, uri, date), record)
    return stats
