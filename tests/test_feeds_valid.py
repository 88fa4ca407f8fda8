"""Every feed of every kind follows its format's rules: RSS 2.0 (the RSS Board's spec), Atom
(RFC 4287) and JSON Feed 1.1 — checked by feedparser (no bozo) and by the required elements
written down as assertions. Feeds of an empty database carry no invented date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from monitor_env import demo_env

from monitor.feeds import FeedConfig, feed_specs, write_feeds
from storage.db import open_db

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://feeds.example.org/ki"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Iterator[Path]:
    """The feeds of one real run over the demo web, with a public base URL."""
    with demo_env(tmp_path_factory.mktemp("valid")) as env:
        env.run(base_url=BASE)
        yield env.feeds


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Path:
    """The feeds of a database that never ran."""
    root = tmp_path_factory.mktemp("empty")
    with open_db(str(root / "ki.db"))() as session:
        write_feeds(session, root / "feeds", BASE, FeedConfig())
    return root / "feeds"


def absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_rss(data: bytes, slug: str) -> etree._Element:
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    (channel,) = root.findall("channel")
    for name in ("title", "link", "description"):  # required channel elements
        assert len(channel.findall(name)) == 1 and channel.findtext(name).strip(), name
    assert absolute(channel.findtext("link"))
    assert channel.findtext("language") == "de"
    selfs = [ln.get("href") for ln in channel.findall(f"{ATOM}link") if ln.get("rel") == "self"]
    assert selfs == [f"{BASE}/feeds/{slug}.xml"]
    for name in ("lastBuildDate", "pubDate"):
        if (value := channel.findtext(name)) is not None:
            assert parsedate_to_datetime(value).tzinfo is not None  # RFC 822 with a zone
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")  # one of them is required
        guid = item.find("guid")
        assert guid is not None and guid.text
        if guid.get("isPermaLink", "true") == "true":
            assert absolute(guid.text)
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        if (link := item.findtext("link")) is not None:
            assert absolute(link)
    return channel


def rfc3339(value: str | None) -> datetime:
    assert value, "missing date"
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert stamp.tzinfo is not None
    return stamp


def check_atom(data: bytes, slug: str) -> etree._Element:
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = etree.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):  # exactly one each (RFC 4287 4.1.1)
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert absolute(feed.findtext(f"{ATOM}id"))
    rfc3339(feed.findtext(f"{ATOM}updated"))
    feed_authors = feed.findall(f"{ATOM}author")
    assert all(a.findtext(f"{ATOM}name") for a in feed_authors)
    selfs = [ln.get("href") for ln in feed.findall(f"{ATOM}link") if ln.get("rel") == "self"]
    assert selfs == [f"{BASE}/feeds/{slug}.atom"]
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        rfc3339(entry.findtext(f"{ATOM}updated"))
        assert feed_authors or entry.findall(f"{ATOM}author")  # an author for every entry
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html" and content.text
        alternates = [ln for ln in entry.findall(f"{ATOM}link") if ln.get("rel") in (None, "alternate")]
        assert len(alternates) <= 1 and all(absolute(ln.get("href")) for ln in alternates)
    return feed


def check_json(data: bytes, slug: str) -> dict:
    doc = json.loads(data)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"]
    assert doc["feed_url"] == f"{BASE}/feeds/{slug}.json" and absolute(doc["home_page_url"])
    assert all(a.get("name") for a in doc["authors"])
    assert isinstance(doc["items"], list)
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        rfc3339(item["date_published"])
        rfc3339(item["date_modified"])
        assert absolute(item.get("url"))
        assert all(not key.startswith("_") or isinstance(item[key], dict) for key in item)
    return doc


SLUGS = [s.slug for s in feed_specs()]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_feed_of_a_real_run_is_valid_rss_atom_and_json_feed(written: Path, slug: str):
    channel = check_rss((written / f"{slug}.xml").read_bytes(), slug)
    feed = check_atom((written / f"{slug}.atom").read_bytes(), slug)
    doc = check_json((written / f"{slug}.json").read_bytes(), slug)
    ids = [i.findtext("guid") for i in channel.findall("item")]
    assert ids == [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [i["id"] for i in doc["items"]]


def test_the_real_run_has_entries_to_check(written: Path):
    assert len(feedparser.parse((written / "ki-news.xml").read_bytes()).entries) >= 5


def test_atom_feeds_name_their_author(written: Path):
    feed = etree.fromstring((written / "ki-news.atom").read_bytes())
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "KI-Monitor NRW"


def test_a_feed_without_entries_dates_itself_by_the_newest_data_not_2000(written: Path):
    status = etree.fromstring((written / "status.xml").read_bytes()).find("channel")
    assert status.findall("item") == []  # no source failing after one good run
    news = etree.fromstring((written / "ki-news.atom").read_bytes())
    newest = max(rfc3339(e.findtext(f"{ATOM}updated")) for e in news.findall(f"{ATOM}entry"))
    assert parsedate_to_datetime(status.findtext("lastBuildDate")) == newest.replace(microsecond=0)
    assert rfc3339(etree.fromstring((written / "status.atom").read_bytes()).findtext(f"{ATOM}updated")) == newest


@pytest.mark.parametrize("slug", ["ki-news", "status", "ki-koeln"])
def test_feeds_of_an_empty_database_are_valid_and_carry_no_invented_date(empty: Path, slug: str):
    rss = (empty / f"{slug}.xml").read_bytes()
    channel = check_rss(rss, slug)
    assert channel.find("lastBuildDate") is None and b"2000" not in rss
    atom = (empty / f"{slug}.atom").read_bytes()
    check_atom(atom, slug)
    assert b"2000-01-01" not in atom
    assert check_json((empty / f"{slug}.json").read_bytes(), slug)["items"] == []
