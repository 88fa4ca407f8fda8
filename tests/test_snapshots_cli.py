"""``ki-monitor snapshots`` on real stored snapshots: list, show, diff (coloured only on a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner, Result
from monitor_env import Env, demo_env
from sqlalchemy import select

from monitor.cli import main
from storage.db import open_db
from storage.models import Fetch
from storage.snapshots import get_body

ADDED = "Ergänzung: Am Nachmittag besuchte die Staatssekretärin eine Sprachkita in Styrum."


@dataclass
class Store:
    env: Env
    url: str
    old: Fetch  # first snapshot of the edited release
    new: Fetch  # after the edit

    def cli(self, *args: str, color: bool = False) -> Result:
        return CliRunner().invoke(main, [*args, "--db", str(self.env.db)], color=color, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    with demo_env(tmp_path_factory.mktemp("snapshots")) as env:
        env.run()
        site = env.web["muelheim-an-der-ruhr"]
        seed = site.entry("seed000")
        site.edit("seed000", [*seed.paragraphs, ADDED])
        env.run(walk="full")  # the edited release is deep in its list
        url = site.article_url(seed)
        with open_db(str(env.db))() as s:
            old, new = s.scalars(select(Fetch).where(Fetch.url == url).order_by(Fetch.id)).all()
        yield Store(env, url, old, new)


def test_list_shows_the_history_of_one_url(store: Store):
    result = store.cli("snapshots", "list", "--url", store.url)
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    assert ids == [str(store.new.id), str(store.old.id)]


def test_list_filters_by_source_and_date(store: Store):
    assert "No snapshots match." in store.cli("snapshots", "list", "--since", "2999-01-01").output
    listed = store.cli("snapshots", "list", "--source", "aachen", "--limit", "200").output
    assert "aachen" in listed and "muelheim" not in listed


def test_show_gives_the_extracted_text_or_the_raw_body(store: Store):
    assert store.cli("snapshots", "show", str(store.new.id), "--text").output.rstrip("\n") == store.new.text
    raw = CliRunner().invoke(main, ["snapshots", "show", str(store.new.id), "--raw", "--db", str(store.env.db)])
    with open_db(str(store.env.db))() as s:
        assert raw.stdout_bytes == get_body(s, store.new.body_sha256)
    assert "Status:" in store.cli("snapshots", "show", str(store.old.id)).output


def test_diff_of_two_snapshots_is_a_plain_unified_diff_when_piped(store: Store):
    result = store.cli("snapshots", "diff", str(store.old.id), str(store.new.id))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"--- #{store.old.id} ") and lines[1].startswith(f"+++ #{store.new.id} ")
    assert f"+{ADDED}" in lines
    assert "\x1b[" not in result.output


def test_diff_is_coloured_on_a_terminal(store: Store):
    result = store.cli("snapshots", "diff", str(store.old.id), str(store.new.id), color=True)
    assert f"\x1b[32m+{ADDED}\x1b[0m" in result.output
    assert "\x1b[36m@@" in result.output


def test_diff_by_url_compares_the_last_two_versions(store: Store):
    by_url = store.cli("snapshots", "diff", "--url", store.url).output
    by_id = store.cli("snapshots", "diff", str(store.old.id), str(store.new.id)).output
    assert by_url == by_id


def test_diff_explains_identical_texts_and_unknown_urls(store: Store):
    same = store.cli("snapshots", "diff", str(store.new.id), str(store.new.id))
    assert same.output.strip() == "The extracted texts are identical."
    unknown = CliRunner().invoke(main, ["snapshots", "diff", "--url", "http://127.0.0.1:9/nope", "--db",
                                        str(store.env.db)])
    assert unknown.exit_code == 1 and "no snapshot of http://127.0.0.1:9/nope" in unknown.output
    usage = CliRunner().invoke(main, ["snapshots", "diff", str(store.new.id), "--db", str(store.env.db)])
    assert usage.exit_code == 2
