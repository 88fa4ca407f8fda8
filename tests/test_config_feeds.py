"""The [feeds] table of the configuration file bounds the feeds a real run writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from monitor.config import ConfigError, parse_config


def test_feeds_table_sets_size_updates_and_the_shared_health_threshold():
    cfg = parse_config("[feeds]\nmax_entries = 3\nmax_days = 30\nupdates = false\n"
                       "[schedule]\nfailing_after = 5\n", "k.toml")
    feeds = cfg.feed_config()
    assert (feeds.max_entries, feeds.max_days, feeds.show_updates, feeds.health_threshold) == (3, 30, False, 5)


@pytest.mark.parametrize(("text", "message"), [
    ("[feeds]\nmax_entry = 3\n", "k.toml: [feeds] unknown key 'max_entry'"),
    ("[feeds]\nupdates = 1\n", "k.toml: [feeds] key 'updates' must be bool"),
    ("[feeds]\nmax_days = 0\n", "k.toml: [feeds] key 'max_days' must be at least 1"),
])
def test_bad_feeds_keys_are_named(text: str, message: str):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_config(text, "k.toml")


def test_run_with_a_config_file_writes_feeds_of_at_most_max_entries(demo_web, registry: Path, tmp_path: Path):
    config = tmp_path / "ki-monitor.toml"
    config.write_text("[feeds]\nmax_entries = 2\n")
    feeds = tmp_path / "feeds"
    result = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "run", "--db", str(tmp_path / "k.db"), "--sources", str(registry),
         "--feeds-dir", str(feeds), "--config", str(config), "--set", "AUTOTHROTTLE_START_DELAY=0.01"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    parsed = feedparser.parse((feeds / "besuche.xml").read_bytes())
    assert parsed.bozo == 0 and len(parsed.entries) == 2


def test_a_broken_config_file_is_one_line(tmp_path: Path):
    config = tmp_path / "bad.toml"
    config.write_text("[feeds]\nmax_entries = 'many'\n")
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "feed", "--db", str(tmp_path / "k.db"),
                             "--config", str(config)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{config}: [feeds] key 'max_entries' must be int" in result.stderr
