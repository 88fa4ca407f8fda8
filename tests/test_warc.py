"""``snapshots export --warc``: a standard WARC file that warcio reads back with the stored
responses (status, headers, bodies), request records beside them and revisits for 304s."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from monitor_env import Env, demo_env
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from monitor.cli import main
from storage.db import open_db
from storage.models import Fetch
from storage.snapshots import get_body


@dataclass
class Export:
    env: Env
    path: Path
    records: list[dict]


def read_warc(path: Path) -> list[dict]:
    out = []
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            out.append({
                "type": rec.rec_type, "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                "id": rec.rec_headers.get_header("WARC-Record-ID"),
                "date": rec.rec_headers.get_header("WARC-Date"),
                "concurrent": rec.rec_headers.get_header("WARC-Concurrent-To"),
                "refers_uri": rec.rec_headers.get_header("WARC-Refers-To-Target-URI"),
                "refers_date": rec.rec_headers.get_header("WARC-Refers-To-Date"),
                "status": rec.http_headers.get_statuscode() if rec.http_headers else None,
                "ctype": rec.http_headers.get_header("Content-Type") if rec.http_headers else None,
                "body": rec.content_stream().read(),
            })
    return out


def export(env: Env, path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["snapshots", "export", "--warc", str(path), "--db", str(env.db), *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def warc(tmp_path_factory) -> Iterator[Export]:
    with demo_env(tmp_path_factory.mktemp("warc")) as env:
        env.run()
        env.run()  # everything unchanged: answered 304, stored as revisits
        path = env.root / "snapshots.warc.gz"
        export(env, path)
        yield Export(env, path, read_warc(path))


def test_the_export_holds_every_stored_response_with_its_body_and_headers(warc: Export):
    with open_db(str(warc.env.db))() as s:
        full = [f for f in s.scalars(select(Fetch).order_by(Fetch.id)) if not f.not_modified]
        bodies = {f.id: get_body(s, f.body_sha256) or b"" for f in full}
    responses = [r for r in warc.records if r["type"] == "response"]
    assert warc.records[0]["type"] == "warcinfo"
    assert len(responses) == len(full) > 20
    for fetch, rec in zip(full, responses, strict=True):
        assert rec["uri"] == fetch.final_url
        assert rec["status"] == str(fetch.status)
        assert rec["ctype"] == fetch.headers.get("content-type")
        assert rec["body"] == bodies[fetch.id]
    assert any(r["body"].startswith(b"%PDF") for r in responses)


def test_each_response_has_its_request_record(warc: Export):
    requests = {r["concurrent"]: r for r in warc.records if r["type"] == "request"}
    answered = [r for r in warc.records if r["type"] in ("response", "revisit")]
    assert len(requests) == len(answered)
    for rec in answered:
        assert requests[rec["id"]]["uri"] == rec["uri"]


def test_unchanged_pages_are_revisits_of_the_first_response(warc: Export):
    with open_db(str(warc.env.db))() as s:
        not_modified = [f for f in s.scalars(select(Fetch)) if f.not_modified]
    revisits = [r for r in warc.records if r["type"] == "revisit"]
    originals = {(r["uri"], r["date"]) for r in warc.records if r["type"] == "response"}
    assert len(revisits) == len(not_modified) > 0
    assert all(r["status"] == "304" and (r["refers_uri"], r["refers_date"]) in originals for r in revisits)


def test_since_limits_the_export_and_uncompressed_files_read_back_too(warc: Export, tmp_path: Path):
    assert "0 responses, 0 revisits" in export(warc.env, tmp_path / "none.warc", "--since", "2999-01-01")
    assert [r["type"] for r in read_warc(tmp_path / "none.warc")] == ["warcinfo"]
    export(warc.env, tmp_path / "plain.warc", "--source", "aachen")
    plain = read_warc(tmp_path / "plain.warc")
    assert not (tmp_path / "plain.warc").read_bytes().startswith(b"\x1f\x8b")
    assert any(r["type"] == "response" for r in plain)
    assert {r["uri"].split("/")[2] for r in plain[1:]} == {warc.env.web["aachen"].base_url.split("/")[2]}
