"""A real feed reader, newsboat, subscribes to the served feed over HTTP and lists the entries;
reloads revalidate (304) and never duplicate an entry, an updated release stays one entry."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from monitor_env import Env, demo_env, serving

pytestmark = [
    pytest.mark.reader,
    pytest.mark.skipif(shutil.which("newsboat") is None,
                       reason="newsboat is not installed (Debian package `newsboat`; .ci/run installs it)"),
]


@dataclass
class Reader:
    env: Env
    home: Path
    feed_url: str

    def newsboat(self, *args: str, log: str | None = None) -> str:
        cmd = ["newsboat", "-u", str(self.home / "urls"), "-c", str(self.home / "cache.db"),
               "-C", str(self.home / "config"), *args]
        if log:
            cmd += ["-d", str(self.home / log), "-l", "6"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={"HOME": str(self.home),
                              "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        assert done.returncode == 0, done.stderr
        return done.stdout

    def items(self) -> dict[str, tuple[str, int]]:
        with sqlite3.connect(self.home / "cache.db") as db:
            return {guid: (title, pub) for guid, title, pub in
                    db.execute("SELECT guid, title, pubDate FROM rss_item WHERE deleted = 0")}


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Iterator[Reader]:
    with demo_env(tmp_path_factory.mktemp("reader")) as env:
        env.run()
        with serving(env.db, env.feeds) as base:
            home = env.root / "newsboat"
            home.mkdir()
            url = f"{base}/feeds/ki-news.xml"
            (home / "urls").write_text(url + "\n")
            (home / "config").write_text("download-timeout 20\n")
            yield Reader(env, home, url)


def served(reader: Reader) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(reader.feed_url)
    assert parsed.bozo == 0 and parsed.status == 200
    return parsed


def test_newsboat_lists_every_entry_of_the_served_feed(reader: Reader):
    reader.newsboat("-x", "reload")
    feed = served(reader)
    items = reader.items()
    assert len(feed.entries) >= 10
    assert set(items) == {e.id for e in feed.entries}
    for entry in feed.entries:
        title, pub = items[entry.id]
        assert title == entry.title
        assert pub == int(parsedate_to_datetime(entry.published).timestamp())
    assert f"{len(feed.entries)} unread articles" in reader.newsboat("-x", "print-unread")


def test_newsboat_reloads_revalidate_with_304_and_add_nothing(reader: Reader):
    before = reader.items()
    etag = served(reader).etag
    reader.newsboat("-x", "reload")  # newsboat stores the validators of a feed from its second fetch on
    reader.newsboat("-x", "reload", log="revalidate.log")
    log = (reader.home / "revalidate.log").read_text()
    assert f"etag = {etag}" in log  # sent as If-None-Match ...
    assert f"retrieved data for {reader.feed_url}: \n" in log  # ... and answered without a body (304)
    assert reader.items() == before


def test_an_updated_release_stays_one_entry_in_newsboat(reader: Reader):
    before = reader.items()
    site = reader.env.web["muelheim-an-der-ruhr"]
    seed = site.entry("seed000")
    site.edit("seed000", [*seed.paragraphs, "Ergänzung: Am Nachmittag besuchte die Staatssekretärin eine Sprachkita."])
    assert len(reader.env.run(walk="full").diff.updated) == 1  # the full walk revalidates old releases
    reader.newsboat("-x", "reload")
    after = reader.items()
    assert set(after) == set(before)
    changed = [guid for guid in after if after[guid][0] != before[guid][0]]
    assert len(changed) == 1 and after[changed[0]][0] == f"{seed.title} (aktualisiert)"
