"""The command line: every command has --help; wrong input is one clear line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from monitor.cli import main
from storage.db import open_db


def ki_monitor(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("command", [[], ["run"], ["demo"], ["feed"], ["snapshots"], ["snapshots", "list"],
                                     ["snapshots", "show"]])
def test_every_command_has_help(command: list[str]):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_unknown_source_says_where_to_look(registry: Path, tmp_path: Path):
    result = ki_monitor("run", "no-such-site", "--db", str(tmp_path / "k.db"), "--sources", str(registry))
    assert_one_line_error(result, "unknown source 'no-such-site'", "ki-monitor sources list")


def test_unwritable_database_path_says_what_to_do(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = ki_monitor("snapshots", "list", "--db", str(blocker / "sub" / "k.db"))
    assert_one_line_error(result, "--db")


def test_broken_registry_names_file_entry_and_key(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nid = "koeln"\nki = "Köln"\nurl = "https://www.stadt-koeln.de/"\ncolour = "red"\n')
    result = ki_monitor("run", "--db", str(tmp_path / "k.db"), "--sources", str(bad))
    assert_one_line_error(result, str(bad), "koeln", "'colour'")


def test_bad_option_is_a_usage_error_without_traceback():
    result = ki_monitor("run", "--max-pages", "zero")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--max-pages" in result.stderr


def test_missing_snapshot_is_one_line(tmp_path: Path):
    open_db(str(tmp_path / "k.db"))
    result = ki_monitor("snapshots", "show", "999", "--db", str(tmp_path / "k.db"))
    assert_one_line_error(result, "no snapshot 999")


def test_demo_crawls_the_bundled_web_twice_and_writes_feeds(tmp_path: Path):
    result = ki_monitor("demo", "--dir", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "1 new, 0 updated, 0 removed" in result.stdout  # the release published between the runs
    feed = feedparser.parse((tmp_path / "demo" / "feeds" / "ki-news.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) >= 5
    assert any("Wuppertal" in e.title for e in feed.entries)


def test_shell_completion_as_the_readme_documents_it():
    import os

    cli = str(Path(sys.executable).parent / "ki-monitor")  # completion keys on the program's name
    env = {**os.environ, "_KI_MONITOR_COMPLETE": "bash_source"}
    script = subprocess.run([cli], env=env, capture_output=True, text=True,
                            timeout=60)
    assert "_ki_monitor_completion" in script.stdout
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert '_KI_MONITOR_COMPLETE=bash_source ki-monitor' in readme
    env = {**os.environ, "_KI_MONITOR_COMPLETE": "bash_complete", "COMP_WORDS": "ki-monitor fee", "COMP_CWORD": "1"}
    words = subprocess.run([cli], env=env, capture_output=True, text=True, timeout=60)
    assert words.stdout.split() == ["plain,feed", "plain,feeds"]
