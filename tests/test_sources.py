"""The source registry validates on load (the bundled one: ``test_registry``), and the
``sources`` commands (list / add / check) work from the URL alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.commands.source_check import SourceCheck, UrlCheck, write_verified
from monitor.demoweb import start_demo_web
from monitor.demoweb.families import FAMILIES
from monitor.demoweb.site import Site
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


CHECK_FAST = ["--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "RETRY_TIMES=0"]


def test_check_reports_what_discovery_found_per_source(tmp_path: Path) -> None:
    sites = [build_test_site("gsb-feed"), build_test_site("wordpress-sitemap"), build_test_site("drupal-views")]
    with start_demo_web(sites):
        registry = tmp_path / "sources.toml"
        broken = '[[source]]\nid = "gone"\nki = "NRW"\nurl = "http://127.0.0.1:9/presse"\n'
        registry.write_text(sources_toml(sites) + "\n" + broken, "utf-8")
        result = CliRunner().invoke(main, ["sources", "check", "--json", "--sources", str(registry), *CHECK_FAST])
    assert result.exit_code == 0, result.output
    report = {r["id"]: r for r in json.loads(result.stdout)}
    for site, channel in zip(sites, ("feed", "sitemap", "listing"), strict=True):
        assert channel in report[site.id]["discovery"].split("+"), report[site.id]
        assert report[site.id]["candidates"] == len(site.entries)
        assert report[site.id]["urls"][0]["channels"]["found"][channel] > 0
    for site in (sites[0], sites[2]):  # a sitemap's lastmod is no publication date
        assert report[site.id]["newest"] == max(e.published for e in site.entries).isoformat()
    assert report["gone"]["candidates"] == 0 and report["gone"]["error"].startswith("unreachable")
    # Discovery only: no release page was fetched.
    assert not [p for p, _ in sites[0].hits if p.startswith("/pressemitteilung/")]


# A registry of the four cases, with comments that --write must keep.
CASES = """# my registry
# (hand-made comments survive --write)

# A good list, a site without any releases and a page that is gone.
[[source]]
id = "good"
ki = "Kreis Steinfurt"
url = "{good}"
urls = ["{empty}/", "{base}/gibt-es-nicht"]
basis = "seen"  # seen on an archived copy

# Moved for good on the same site.
[[source]]
id = "moved"
ki = "Kreis Unna"
url = "{base}/alt/meldungen.aspx"
basis = "inferred"

# Moved to another site.
[[source]]
id = "elsewhere"
ki = "Kreis Viersen"
url = "{other}/presse-umgezogen"
basis = "inferred"
"""


def _cases(site, other, empty) -> str:
    return CASES.format(good=site.start_url, base=site.base_url, other=other.base_url, empty=empty.base_url)


def _check_cases(tmp_path: Path, *args: str):
    site, other = build_test_site("presseservice"), build_test_site("gsb-feed")
    empty = Site(id="empty", name="Gemeinde ohne Presse", family=FAMILIES["generic"], entries=[], listing=False)
    with start_demo_web([site, other, empty]):
        site.redirects["/alt/meldungen.aspx"] = site.start_path
        other.redirects["/presse-umgezogen"] = site.start_url
        registry = tmp_path / "sources.toml"
        registry.write_text(_cases(site, other, empty), "utf-8")
        result = CliRunner().invoke(main, ["sources", "check", "--sources", str(registry), *CHECK_FAST, *args])
    assert result.exit_code == 0, result.output
    return site, other, empty, registry, result


def test_check_flags_each_start_url_that_is_gone_moved_off_site_or_empty(tmp_path: Path) -> None:
    site, other, _, _, result = _check_cases(tmp_path, "--json")
    report = {r["id"]: r for r in json.loads(result.stdout)}
    good = report["good"]["urls"]
    assert [(u["status"], u["releases"], u["problem"]) for u in good] == [
        (200, len(site.entries), None),
        (200, 0, good[1]["problem"]),
        (404, 0, "answers HTTP 404")]
    assert good[1]["problem"].startswith("yields no releases")
    assert good[0]["discovery"] == "listing" and good[0]["newest"] == site.entries[0].published.isoformat()
    (moved,) = report["moved"]["urls"]
    assert (moved["status"], moved["final_url"], moved["permanent"], moved["releases"], moved["problem"]) == (
        200, site.start_url, True, len(site.entries), None)
    (elsewhere,) = report["elsewhere"]["urls"]
    assert elsewhere["problem"] == f"redirects off-site to {site.start_url}"
    # A missing or off-site start URL is asked once and not crawled; the off-site target not at all.
    assert [p for p, _ in site.hits].count("/gibt-es-nicht") == 1
    assert other.hits == [("/presse-umgezogen", 301)]


def test_check_prints_every_start_url_of_a_source_with_its_problem(tmp_path: Path) -> None:
    site, _, _, _, result = _check_cases(tmp_path)
    lines = result.stdout.splitlines()
    assert "good  (Kreis Steinfurt; basis seen): 1 of 3 start URL(s) yield releases" in lines
    assert [ln for ln in lines if ln.endswith("/gibt-es-nicht  !! answers HTTP 404")]
    assert [ln for ln in lines if "/presse-umgezogen" in ln and "!! redirects off-site" in ln]
    assert [ln for ln in lines if f"{len(site.entries):>5}  {site.entries[0].published.isoformat()}" in ln
            and ln.strip().startswith("200  listing")]
    assert "3 start URL(s) need a better address or hints:" in result.stderr


def test_check_write_records_what_it_verified_and_keeps_the_comments(tmp_path: Path) -> None:
    site, other, empty, registry, result = _check_cases(tmp_path, "--write")
    text = registry.read_text("utf-8")
    before = _cases(site, other, empty)
    comments = [ln for ln in before.splitlines() if ln.startswith("#")]
    assert [ln for ln in text.splitlines() if ln.startswith("#")] == comments
    assert 'basis = "verified"  # seen on an archived copy' in text
    found = {s.id: s for s in load_sources(registry)}
    assert (found["good"].basis, found["good"].urls) == ("verified", (f"{empty.base_url}/", f"{site.base_url}/gibt-es-nicht"))
    assert (found["moved"].basis, found["moved"].url) == ("verified", site.start_url)
    assert (found["elsewhere"].basis, found["elsewhere"].url) == ("inferred", f"{other.base_url}/presse-umgezogen")
    assert "3 change(s) written" in result.stderr


def test_write_twice_changes_nothing_the_second_time_and_never_removes_a_url(tmp_path: Path) -> None:
    registry = tmp_path / "sources.toml"
    text = ("# kept\n" + GOOD.replace("/\"\n", "/\"\nurls = [\"https://www.kreis-borken.de/alt\"]  # old list\n"))
    registry.write_text(text, "utf-8")
    (source,) = load_sources(registry)
    verified = UrlCheck(source.url, status=200, final_url=source.url, releases=4)
    gone = UrlCheck("https://www.kreis-borken.de/alt", status=404, final_url="https://www.kreis-borken.de/alt")
    checks = [SourceCheck(source, [verified, gone])]
    assert write_verified(registry, checks) == ['kreis-borken: basis = "verified"']
    once = registry.read_text("utf-8")
    assert write_verified(registry, checks) == []
    assert registry.read_text("utf-8") == once
    assert once.startswith("# kept\n") and 'urls = ["https://www.kreis-borken.de/alt"]  # old list' in once
