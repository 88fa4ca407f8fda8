"""The bundled registry: every one of the 54 KIs has a source, sources start at press pages
where one is known, hosts cover the URLs, ids are unique slugs, and the file round-trips."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import parse_qs, urlparse

import tomlkit

from scrapers.kis import STATEWIDE, load_kis
from scrapers.sources import BASES, SLUG, Source, default_path, load_sources, parse_registry

SOURCES = load_sources()
BY_KI: dict[str, list[Source]] = defaultdict(list)
for _s in SOURCES:
    BY_KI[_s.ki].append(_s)
# Office ids seen on presse-service.de lists; others were never seen and must not be guessed.
KNOWN_PS_IDS = {"Kreis Steinfurt": "1285", "Kreis Unna": "1452", "Kreis Viersen": "1381"}


def _site(host: str) -> str:
    return host.lower().removeprefix("www.")


def test_every_one_of_the_54_kis_has_a_source_and_nothing_else_is_named() -> None:
    kis = {k.name for k in load_kis()}
    assert len(kis) == 54
    assert set(BY_KI) == kis | {STATEWIDE}


def test_the_state_sources_start_at_the_press_lists_seen() -> None:
    ids = {s.id: s for s in BY_KI[STATEWIDE]}
    assert {"land-nrw", "mkjfgfi-nrw", "laki-nrw"} <= set(ids)
    assert ids["land-nrw"].url == "https://www.land.nrw/pressemitteilungen"
    # The Staatskanzlei publishes on that list; the never-seen land.nrw/presse is gone.
    assert not [s.id for s in SOURCES if "land.nrw/presse" in s.url and s.id != "land-nrw"]


def test_ids_are_unique_slugs() -> None:
    ids = [s.id for s in SOURCES]
    assert len(ids) == len(set(ids))
    assert all(SLUG.match(i) for i in ids)


def test_no_two_sources_crawl_the_same_start_url() -> None:
    starts = [u.rstrip("/") for s in SOURCES for u in s.start_urls]
    assert sorted(u for u in starts if starts.count(u) > 1) == []


def test_every_source_says_where_its_start_url_comes_from() -> None:
    assert {s.id: s.basis for s in SOURCES if s.basis not in BASES} == {}
    # A bare host root is no press list seen or inferred, unless the home page is the list
    # (a WordPress blog's posts).
    roots = [s for s in SOURCES if urlparse(s.url).path in ("", "/") and not urlparse(s.url).query]
    assert {s.id: s.basis for s in roots if s.basis != "root" and s.cms != "wordpress"} == {}


def test_hosts_are_bare_hosts_and_cover_every_start_url() -> None:
    for s in SOURCES:
        for host in s.hosts:
            assert host == host.lower() and "/" not in host and ":" not in host and "." in host, (s.id, host)
        allowed = {_site(h) for h in s.allowed_hosts}
        assert {_site(urlparse(u).netloc) for u in s.start_urls} <= allowed, s.id
        assert not {_site(h) for h in s.hosts} & {_site(urlparse(u).netloc) for u in s.start_urls}, (
            f"{s.id}: a start URL's host need not be declared again")


def test_each_ki_is_watched_on_its_own_host_unless_its_press_lives_on_presse_service() -> None:
    for ki in load_kis():
        sources = BY_KI[ki.name]
        hosts = {_site(h) for s in sources for h in s.allowed_hosts}
        assert ki.main_host in hosts or all(s.cms == "presseservice" for s in sources), ki.name


def test_presse_service_sources_use_only_office_ids_that_were_seen() -> None:
    platform = [s for s in SOURCES if s.cms == "presseservice"]
    assert {s.ki: parse_qs(urlparse(s.url).query)["ps_id"][0] for s in platform} == KNOWN_PS_IDS
    for s in platform:
        assert (urlparse(s.url).path, s.basis) == ("/meldungen.aspx", "seen")
    elsewhere = [u for s in SOURCES if s.cms != "presseservice" for u in s.start_urls if "presse-service.de" in u]
    assert elsewhere == []


def test_a_press_page_start_url_for_every_ki_where_one_is_known() -> None:
    known = {ki for ki, sources in BY_KI.items() if ki != STATEWIDE and any(s.basis != "root" for s in sources)}
    # 42 KIs with a city or Kreis press list, five more with only the KI's own news list.
    assert len(known) >= 47
    # KI sites are further sources of the same KI, beside its press list.
    for s in SOURCES:
        if s.id.endswith("-ki"):
            assert [o for o in BY_KI[s.ki] if o.id == s.id.removesuffix("-ki")], s.id


def test_the_registry_round_trips_through_the_validator() -> None:
    text = default_path().read_text("utf-8")
    assert tomlkit.dumps(tomlkit.parse(text)) == text  # comments and layout survive an edit
    dumped = tomlkit.dumps({"source": [s.to_config() for s in SOURCES]})
    assert parse_registry(dumped, "dumped.toml") == SOURCES

