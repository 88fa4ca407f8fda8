"""Every discovery test site, crawled over HTTP from its start URL alone, yields exactly the
releases it holds: none missed, no navigation or listing page taken for a release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_crawl import crawl, latest_run, releases

from monitor.demoweb import DemoWeb, start_demo_web
from monitor.demoweb.testsites import TEST_SITES, TestSite, discovery_sites, sources_toml

# The channel each site offers for its releases (others may list some of them too).
EXPECTED_CHANNEL = {
    "typo3-news": "listing", "typo3-sitemap": "sitemap", "drupal-views": "listing", "gsb-feed": "feed",
    "numeric-cms": "hop", "wordpress-sitemap": "sitemap", "wordpress-feed": "feed",
    "wordpress-listing": "listing", "presseservice": "listing",
}
FEED_ONLY = {"gsb-feed"}  # a feed holds the newest items: it never makes a walk complete


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoWeb, Path]]:
    tmp = tmp_path_factory.mktemp("discovery")
    with start_demo_web(discovery_sites()) as web:
        registry = tmp / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        db = tmp / "crawl.db"
        crawl(db, registry)
        yield web, db


def test_every_family_has_a_site() -> None:
    assert set(EXPECTED_CHANNEL) == set(TEST_SITES)


@pytest.mark.parametrize("site_id", list(TEST_SITES))
def test_finds_every_release_and_nothing_else(crawled, site_id: str) -> None:
    web, db = crawled
    site: TestSite = web[site_id]
    found = releases(db, site_id)
    assert set(found) == site.expected_urls()
    assert all(f.status == 200 and f.error is None for f in found.values())


@pytest.mark.parametrize("site_id", list(TEST_SITES))
def test_a_first_run_backfills_through_the_channel_the_site_offers(crawled, site_id: str) -> None:
    web, db = crawled
    run = latest_run(db, site_id)
    assert (run.discovery, run.status, run.complete) == ("backfill", "ok", site_id not in FEED_ONLY)
    assert run.channels["found"][EXPECTED_CHANNEL[site_id]] > 0, run.channels


@pytest.mark.parametrize("site_id", list(TEST_SITES))
def test_publication_dates_are_the_ones_the_pages_print(crawled, site_id: str) -> None:
    web, db = crawled
    site = web[site_id]
    found = releases(db, site_id)
    wrong = {e.slug: (found[site.article_url(e)].published, e.published) for e in site.entries
             if found[site.article_url(e)].published != e.published}
    assert wrong == {}


def test_navigation_full_of_ki_words_is_never_requested(crawled) -> None:
    web, _ = crawled
    nav = ("/integration/", "/politik/", "/buergerservice", "/intern/")
    for site in web.sites.values():
        assert [p for p, _ in site.hits if p.startswith(nav)] == [], site.id


@pytest.mark.parametrize("site_id", ["typo3-news", "gsb-feed"])
def test_pdf_release_comes_out_as_clean_text(crawled, site_id: str) -> None:
    web, db = crawled
    site = web[site_id]
    entry = next(e for e in site.entries if e.pdf is not None)
    fetch = releases(db, site_id)[site.article_url(entry)]
    assert fetch.published == entry.published
    assert fetch.title == entry.title
    for furniture in ("Seite 1 von 2", "Seite 2 von 2", "Pressestelle · 40190", "presse@stk.nrw.de"):
        assert furniture not in fetch.text
    # The page break fell inside a sentence; it reads as one sentence again.
    assert "bis zum Ende der Legislaturperiode" in " ".join(fetch.text.split())


@pytest.mark.parametrize("site_id", ["numeric-cms", "drupal-views"])
def test_mis_declared_charset_comes_out_as_clean_text(crawled, site_id: str) -> None:
    web, db = crawled
    site = web[site_id]
    found = releases(db, site_id)
    for entry in site.entries:
        fetch = found[site.article_url(entry)]
        assert "\ufffd" not in fetch.text and "Ã" not in fetch.text
        assert fetch.listing_title == entry.title
        assert max(entry.paragraphs, key=len)[:60] in fetch.text


def test_redirected_release_is_stored_under_the_listed_url(crawled) -> None:
    web, db = crawled
    site = web["drupal-views"]
    (old, new), = site.redirects.items()
    fetch = releases(db, "drupal-views")[site.base_url + old]
    assert (fetch.final_url, fetch.status) == (site.base_url + new, 200)
    assert (old, 301) in site.hits


def test_family_base_spiders_find_the_same_releases_with_their_hints(tmp_path: Path) -> None:
    families = {"typo3-news": "typo3", "drupal-views": "drupal", "wordpress-listing": "wordpress"}
    sites = discovery_sites(list(families))
    with start_demo_web(sites):
        registry = tmp_path / "sources.toml"
        registry.write_text("".join(f'[[source]]\nid = "{s.id}"\nki = "NRW"\nurl = "{s.start_url}"\n'
                                    f'cms = "{families[s.id]}"\n' for s in sites), "utf-8")
        crawl(tmp_path / "c.db", registry)
        for site in sites:
            assert set(releases(tmp_path / "c.db", site.id)) == site.expected_urls(), site.id
