"""A reviewer corrects a label in the browser: it is stored, wins over the analysis (events and
feeds follow) and exports as labelled data in the format of ``shared/corpus/labelled``."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from monitor_env import serving
from review_support import (
    EDITED_SITE,
    EDITED_SLUG,
    Client,
    Crawled,
    crawled_demo_web,
    eventually,
    serve,
)
from sqlalchemy import select

from monitor.analysis.corpus import load as load_corpus
from monitor.cli import main
from monitor.understand import Understanding
from storage.db import open_db
from storage.models import Correction, Release

CORPUS_FIELDS = {"id", "url", "host", "published", "title", "text", "label", "ki", "visitors", "amounts_eur", "notes"}
SHARED_LABELLED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "labelled"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    with crawled_demo_web(tmp_path_factory.mktemp("corrections")) as c:
        yield c


@pytest.fixture
def store(crawled: Crawled, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the crawled database and feeds: corrections change both."""
    db, feeds = tmp_path / "ki.db", tmp_path / "feeds"
    with sqlite3.connect(crawled.db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    shutil.copytree(crawled.feeds, feeds)
    return db, feeds


def release_of(db: Path, url: str) -> Release:
    with open_db(str(db))() as s:
        return s.scalars(select(Release).where(Release.url == url)).one()


def visit_url(crawled: Crawled) -> str:
    site = crawled.web.sites[EDITED_SITE]
    return site.article_url(site.entry(EDITED_SLUG))


def irrelevant_release(db: Path) -> Release:
    with open_db(str(db))() as s:
        return s.scalars(select(Release).where(Release.label == "irrelevant").order_by(Release.id)).first()


def form_of(client: Client, release_id: int) -> dict[str, str]:
    page = client.get(f"/release/{release_id}")
    assert page.status == 200
    m = re.search(r'<input type="hidden" name="csrf" value="([^"]+)">', page.text)
    assert m, "the release page should offer the correction form"
    return {"csrf": m[1]}


def correct_via_form(client: Client, release_id: int, label: str, **extra) -> int:
    form = form_of(client, release_id) | {"label": label, "note": "geprüft"} | extra
    return client.post(f"/release/{release_id}/correct", form).status


def test_correcting_a_visit_to_irrelevant_removes_it_from_events_and_feeds(crawled: Crawled, store):
    db, feeds = store
    url = visit_url(crawled)
    release = release_of(db, url)
    assert release.label == "visit" and release.event_id is not None
    with serve(db, feeds, read_only=False) as base:
        client = Client(base)
        assert url in client.get("/feeds/besuche.xml").text
        reply = client.post(f"/release/{release.id}/correct",
                            form_of(client, release.id) | {"label": "irrelevant", "note": "Termin in Bayern"})
        assert reply.status == 303 and reply.headers["location"].endswith(f"/release/{release.id}?done=1")
        assert eventually(lambda: url not in client.get("/feeds/besuche.xml").text)  # feeds rewritten
        assert f'href="/release/{release.id}"' not in client.get("/").text
        page = client.get(f"/release/{release.id}?done=1")
        assert "Korrektur gespeichert" in page.text and "Termin in Bayern" in page.text
    corrected = release_of(db, url)
    assert (corrected.label, corrected.corrected_label, corrected.event_id) == ("visit", "irrelevant", None)
    with open_db(str(db))() as s:
        assert [(c.label, c.note) for c in s.scalars(select(Correction))] == [("irrelevant", "Termin in Bayern")]


def test_correcting_an_irrelevant_release_to_funding_puts_it_in_the_funding_feed(store):
    db, feeds = store
    release = irrelevant_release(db)
    with serve(db, feeds, read_only=False) as base:
        client = Client(base)
        assert release.url not in client.get("/feeds/foerderung.xml").text
        assert correct_via_form(client, release.id, "funding") == 303
        assert eventually(lambda: release.url in client.get("/feeds/foerderung.xml").text)
        assert f'href="/release/{release.id}"' in client.get("/?type=funding").text


def test_reanalysis_keeps_the_reviewers_label(crawled: Crawled, store):
    db, feeds = store
    url = visit_url(crawled)
    with serve(db, feeds, read_only=False) as base:
        assert correct_via_form(Client(base), release_of(db, url).id, "other") == 303
    with open_db(str(db))() as s, s.begin():
        Understanding(s).run(everything=True)
    again = release_of(db, url)
    assert (again.label, again.effective_label, again.event_id) == ("visit", "other", None)


def test_corrections_export_round_trips_as_labelled_corpus(crawled: Crawled, store, tmp_path: Path):
    db, feeds = store
    visit, irrelevant = release_of(db, visit_url(crawled)), irrelevant_release(db)
    with serve(db, feeds, read_only=False) as base:
        client = Client(base)
        assert correct_via_form(client, visit.id, "funding") == 303
        assert correct_via_form(client, visit.id, "irrelevant") == 303  # the newest correction counts
        assert correct_via_form(client, irrelevant.id, "visit") == 303
        archive = client.get("/corrections/export.zip")
        listing = client.get("/corrections")
    assert 'href="/corrections/export.zip"' in listing.text
    out = tmp_path / "labelled"
    result = CliRunner().invoke(main, ["corrections", "export", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.json"))
    docs = {d["url"]: d for d in (json.loads(f.read_text("utf-8")) for f in files)}
    assert len(files) == 2 and set(docs) == {visit.url, irrelevant.url}
    reference = next(SHARED_LABELLED.glob("*.json"), None)
    fields = set(json.loads(reference.read_text("utf-8"))) if reference else CORPUS_FIELDS
    for doc in docs.values():
        assert set(doc) == fields
    assert docs[visit.url]["label"] == "irrelevant" and docs[visit.url]["ki"] == []  # corpus rule
    assert docs[visit.url]["visitors"] == [] and docs[irrelevant.url]["label"] == "visit"
    gold = {g.doc.url: g for g in load_corpus(out)}  # the project's own corpus reader takes it
    for release in (visit, irrelevant):
        g, doc = gold[release.url], docs[release.url]
        assert (g.label, g.doc.title, g.doc.text, g.ki, g.visitors) == (
            doc["label"], release.title, release.text, doc["ki"], doc["visitors"])
        assert g.published == release.published
    with zipfile.ZipFile(io.BytesIO(archive.body)) as zf:
        zipped = {json.loads(zf.read(n))["url"]: json.loads(zf.read(n)) for n in zf.namelist()}
    assert archive.headers["content-disposition"].startswith("attachment;") and zipped == docs


def test_cli_sets_a_correction_that_the_events_follow(crawled: Crawled, store):
    db, feeds = store
    release = irrelevant_release(db)
    result = CliRunner().invoke(main, ["corrections", "set", str(release.id), "visit", "--note", "ja",
                                       "--db", str(db), "--feeds-dir", str(feeds)])
    assert result.exit_code == 0, result.output
    after = release_of(db, release.url)
    assert after.effective_label == "visit" and after.event_id is not None
    assert release.url in (feeds / "besuche.xml").read_text("utf-8")
    listed = CliRunner().invoke(main, ["corrections", "list", "--db", str(db)])
    assert f"{release.id}\tirrelevant -> visit" in listed.output


def test_a_form_without_csrf_or_from_another_origin_is_refused(crawled: Crawled, store):
    db, feeds = store
    release = release_of(db, visit_url(crawled))
    with serve(db, feeds, read_only=False) as base:
        client = Client(base)
        form = form_of(client, release.id) | {"label": "other"}
        assert client.post(f"/release/{release.id}/correct", {"label": "other"}).status == 403
        assert client.post(f"/release/{release.id}/correct", form | {"csrf": "guess"}).status == 403
        evil = client.post(f"/release/{release.id}/correct", form, headers={"Origin": "http://evil.example"})
        assert evil.status == 403
        assert client.post(f"/release/{release.id}/correct", form | {"label": "nonsense"}).status == 400
    assert release_of(db, visit_url(crawled)).corrected_label is None


def test_a_configured_token_is_required_for_changes(crawled: Crawled, store):
    db, feeds = store
    release = release_of(db, visit_url(crawled))
    with serve(db, feeds, read_only=False, token="s3cret-token") as base:
        client = Client(base)
        assert 'name="token"' in client.get(f"/release/{release.id}").text
        assert correct_via_form(client, release.id, "other") == 403
        assert correct_via_form(client, release.id, "other", token="wrong") == 403
        assert release_of(db, release.url).corrected_label is None
        assert correct_via_form(client, release.id, "other", token="s3cret-token") == 303
    assert release_of(db, release.url).corrected_label == "other"


def test_a_server_reachable_beyond_loopback_without_token_refuses_changes(crawled: Crawled, store):
    db, feeds = store
    release = release_of(db, visit_url(crawled))
    # Served as http://0.0.0.0:… — what `serve --host 0.0.0.0` announces — but bound to loopback here.
    with serve(db, feeds, read_only=False, base_url="http://0.0.0.0:8470") as base:
        client = Client(base)
        page = client.get(f"/release/{release.id}")
        assert "brauchen ein Token" in page.text and "<form" not in page.text
        reply = client.post(f"/release/{release.id}/correct", {"label": "other", "csrf": "x"})
        assert reply.status == 403
    assert release_of(db, release.url).corrected_label is None


def test_serve_is_read_only_unless_corrections_are_allowed(crawled: Crawled, store):
    """The command a reviewer starts: plain `serve` refuses changes, `--allow-corrections` takes them."""
    db, feeds = store
    release = release_of(db, visit_url(crawled))
    with serving(db, feeds) as base:
        client = Client(base)
        assert 'name="csrf"' not in client.get(f"/release/{release.id}").text
        assert client.post(f"/release/{release.id}/correct", {"label": "other"}).status in (403, 405)
    assert release_of(db, visit_url(crawled)).corrected_label is None
    with serving(db, feeds, "--allow-corrections") as base:
        client = Client(base)
        reply = client.post(f"/release/{release.id}/correct", form_of(client, release.id) | {"label": "other"})
        assert reply.status == 303
    assert release_of(db, visit_url(crawled)).corrected_label == "other"


def test_correcting_the_first_source_of_a_shared_event_keeps_both_events_apart(store):
    """The event founded by a release keeps its GUID when the release leaves for another label
    while other sources stay; the release's new event takes a GUID of its own (was: UNIQUE
    constraint failed: events.guid, a 500 on the review page)."""
    import uuid

    from monitor.corrections import correct
    from monitor.understand import GUID_NAMESPACE
    from storage.db import transaction
    from storage.models import Event

    db, _ = store
    with transaction(open_db(str(db))) as s:
        shared = [e for e in s.scalars(select(Event)) if len(e.releases) > 1]
        assert shared, "the demo web publishes one visit on two sites"
        event = shared[0]
        founder = next(r for r in event.releases if event.guid == f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, r.url)}")
        old_guid, label = event.guid, "funding" if event.label == "visit" else "visit"
        correct(s, founder, label, "anderes Ereignis")
        founder_id = founder.id
    with open_db(str(db))() as s:
        moved = s.get(Release, founder_id)
        assert moved.event is not None and moved.event.label == label and moved.event.guid != old_guid
        assert s.scalars(select(Event).where(Event.guid == old_guid)).one().releases
