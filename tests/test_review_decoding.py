"""Stored bodies are shown as the feed reads them: one careful decoder (BOM, strict UTF-8,
declared charset, cp1252) on the review pages and in ``snapshots``, and the text view of a
changed listing page shows the change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import Client, serve

from monitor.cli import main
from storage.db import open_db
from storage.models import Fetch
from storage.snapshots import put_body

LATIN1_CLAIM = (
    '<html><head><meta charset="ISO-8859-1"><title>KI Mülheim</title></head><body>'
    "<h1>Kommunales Integrationszentrum Mülheim an der Ruhr</h1><p>Besuch in Mülheim.</p></body></html>"
).encode()  # UTF-8 bytes, though the page says ISO-8859-1
LISTING = ('<html><head><meta charset="utf-8"><title>Pressemitteilungen</title></head><body><ul>{}</ul>'
           "</body></html>")
OLD_ITEMS = ['<li><a href="/p/1">Förderung für das KI Köln</a> 02.05.2025</li>']
NEW_RELEASE = "Staatssekretärin besucht KI Mülheim"
NEW_ITEMS = [f'<li><a href="/p/2">{NEW_RELEASE}</a> 12.05.2025</li>', *OLD_ITEMS]


def store_fetch(db: Path, url: str, body: bytes, content_type: str, kind: str = "listing") -> int:
    with open_db(str(db))() as session:
        fetch = Fetch(source_id="muelheim", url=url, final_url=url, kind=kind, status=200,
                      content_type=content_type, fetched_at=datetime.now(UTC),
                      body_sha256=put_body(session, body))
        session.add(fetch)
        session.commit()
        return fetch.id


@pytest.fixture
def stored(tmp_path: Path) -> dict[str, int]:
    db = tmp_path / "ki.db"
    return {
        "db": db,
        "mislabelled": store_fetch(db, "http://127.0.0.1:9/ki", LATIN1_CLAIM, "text/html; charset=ISO-8859-1"),
        "old": store_fetch(db, "http://127.0.0.1:9/presse", LISTING.format("".join(OLD_ITEMS)).encode(), "text/html"),
        "new": store_fetch(db, "http://127.0.0.1:9/presse", LISTING.format("".join(NEW_ITEMS)).encode(), "text/html"),
    }


def test_a_utf8_page_that_claims_latin1_reads_right_on_the_review_pages(stored, tmp_path: Path):
    with serve(stored["db"], tmp_path / "feeds") as base:
        client = Client(base)
        for path in (f"/snapshot/{stored['mislabelled']}", f"/snapshot/{stored['mislabelled']}?view=source"):
            text = client.get(path).text
            assert "Mülheim an der Ruhr" in text, path
            assert "MÃ¼lheim" not in text, path


def test_the_snapshot_command_decodes_like_the_feed(stored):
    windows_page = LATIN1_CLAIM.decode().encode("cp1252")  # what the page says it is, this time
    listing = store_fetch(stored["db"], "http://127.0.0.1:9/alt", windows_page, "text/html")
    out = CliRunner().invoke(main, ["snapshots", "diff", str(stored["old"]), str(listing), "--db", str(stored["db"])],
                             catch_exceptions=False).output
    assert "Mülheim an der Ruhr" in out and "\ufffd" not in out


def test_the_text_view_of_a_changed_listing_page_shows_the_new_release(stored, tmp_path: Path):
    with serve(stored["db"], tmp_path / "feeds") as base:
        page = Client(base).get(f"/diff/{stored['old']}/{stored['new']}?of=text").text
    assert "Keine Unterschiede" not in page
    assert '<tr class="insert">' in page and NEW_RELEASE in page
    assert "<li>" not in page.split("<main>", 1)[1]  # text, not markup: that is the Quelltext view
