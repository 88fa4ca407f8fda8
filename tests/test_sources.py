"""The source registry validates on load (the bundled one: ``test_registry``), and the
``sources`` commands (list / add / check) work from the URL alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.demoweb import start_demo_web
from monitor.demoweb.testsites import build_test_site, sources_toml
from scrapers.sources import SourceError, load_sources, parse_registry

GOOD = '[[source]]\nid = "kreis-borken"\nki = "Kreis Borken"\nurl = "https://www.kreis-borken.de/"\n'


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace('ki = "Kreis Borken"', 'ki = "Kreis Atlantis"'),
     "f.toml: source #1 (kreis-borken): key 'ki' 'Kreis Atlantis' is not one of the 54 KIs"),
    (GOOD.replace('url = "https://www.kreis-borken.de/"\n', ""), "f.toml: source #1 (kreis-borken): missing required key 'url'"),
    (GOOD + 'colour = "blue"\n', "f.toml: source #1 (kreis-borken): unknown key 'colour'"),
    (GOOD + 'discovery = "magic"\n', "key 'discovery' must be one of"),
    (GOOD + 'cms = "joomla"\n', "key 'cms' must be one of"),
    (GOOD + 'since = "last week"\n', "key 'since' must be an ISO date"),
    (GOOD + "max_pages = 0\n", "key 'max_pages' must be at least 1"),
    (GOOD + "hints = { colour = 'x' }\n", "unknown key 'hints.colour'"),
    (GOOD.replace("https://www.kreis-borken.de/", "ftp://x"), "key 'url' must be an http(s) URL"),
    (GOOD.replace('"kreis-borken"', '"Kreis Borken"'), "key 'id' must be a slug"),
    (GOOD + "\n" + GOOD, "f.toml: source #2 (kreis-borken): key 'id' 'kreis-borken' is used twice"),
    ("[[source]\n", "f.toml: not valid TOML"),
])
def test_invalid_entries_are_rejected_naming_file_entry_and_key(text: str, message: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_registry(text, "f.toml")
    assert message in str(err.value)


def test_a_missing_registry_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nope.toml: cannot read"):
        load_sources(tmp_path / "nope.toml")


def test_add_appends_an_entry_keeping_comments_and_deriving_the_id(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text("# my sites\n" + GOOD, "utf-8")
    result = CliRunner().invoke(main, ["sources", "add", "https://www.kreis-coesfeld.de/presse",
                                       "--ki", "Kreis Coesfeld", "--sources", str(registry)])
    assert result.exit_code == 0, result.output
    assert registry.read_text("utf-8").startswith("# my sites\n")
    added = load_sources(registry)[-1]
    assert (added.id, added.ki, added.url) == ("kreis-coesfeld", "Kreis Coesfeld", "https://www.kreis-coesfeld.de/presse")


def test_add_refuses_an_unknown_ki_and_leaves_the_file_alone(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(GOOD, "utf-8")
    result = CliRunner().invoke(main, ["sources", "add", "https://example.org/", "--ki", "Atlantis",
                                       "--sources", str(registry)])
    assert result.exit_code == 1 and "'Atlantis' is not one of the 54 KIs" in result.output
    assert registry.read_text("utf-8") == GOOD


def test_add_with_a_taken_id_is_rejected(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(GOOD, "utf-8")
    result = CliRunner().invoke(main, ["sources", "add", "https://www.kreis-borken.de/presse", "--ki", "Kreis Borken",
                                       "--id", "kreis-borken", "--sources", str(registry)])
    assert result.exit_code == 1 and "used twice" in result.output


def test_list_shows_every_source(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sources", "list"])
    assert result.exit_code == 0
    assert len([ln for ln in result.output.splitlines() if ln.strip()]) == len(load_sources()) + 1


def test_check_reports_what_discovery_found_per_source(tmp_path: Path) -> None:
    sites = [build_test_site("gsb-feed"), build_test_site("wordpress-sitemap"), build_test_site("drupal-views")]
    with start_demo_web(sites):
        registry = tmp_path / "sources.toml"
        broken = '[[source]]\nid = "gone"\nki = "NRW"\nurl = "http://127.0.0.1:9/presse"\n'
        registry.write_text(sources_toml(sites) + "\n" + broken, "utf-8")
        result = CliRunner().invoke(main, ["sources", "check", "--json", "--max-pages", "5", "--sources", str(registry),
                                           "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "RETRY_TIMES=0"])
    assert result.exit_code == 0, result.output
    report = {r["id"]: r for r in json.loads(result.output)}
    for site, mode in zip(sites, ("feed", "sitemap", "listing"), strict=True):
        assert (report[site.id]["discovery"], report[site.id]["candidates"]) == (mode, len(site.entries))
        assert report[site.id]["newest"] == max(e.published for e in site.entries).isoformat()
    assert report["gone"]["candidates"] == 0 and "failed" in report["gone"]["error"]
    # Discovery only: no release page was fetched.
    assert not [p for p, _ in sites[0].hits if p.startswith("/pressemitteilung/")]
