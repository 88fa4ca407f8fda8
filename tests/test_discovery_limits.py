"""Bounds on a crawl: ``--since`` skips older releases and stops paging; the page budget
(``max_pages``) caps every request of a source."""

from __future__ import annotations

from pathlib import Path

from helpers_crawl import crawl, latest_run, releases

from monitor.demoweb import start_demo_web
from monitor.demoweb.testsites import build_test_site, sources_toml


def test_since_skips_older_releases_and_stops_paging(tmp_path: Path) -> None:
    site = build_test_site("drupal-views")  # 8 releases, 3 per page, newest first
    since = site.entries[2].published  # the last release of page 1
    with start_demo_web([site]):
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml([site]), "utf-8")
        crawl(tmp_path / "c.db", registry, args=("--since", since.isoformat()))
    found = releases(tmp_path / "c.db", site.id)
    assert set(found) == {site.article_url(e) for e in site.entries if e.published >= since}
    # Page 2 holds older releases, so page 3 is never requested.
    assert "/presse?page=2" not in [p for p, _ in site.hits]


def test_the_page_budget_bounds_every_request_of_a_source(tmp_path: Path) -> None:
    site = build_test_site("drupal-views")
    with start_demo_web([site]):
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml([site]), "utf-8")
        crawl(tmp_path / "c.db", registry, args=("--max-pages", "6"))
    # Scrapy's robots.txt middleware asks once on its own; every other request is the spider's.
    ours = [p for p, _ in site.hits if p != "/robots.txt"]
    assert 0 < len(ours) <= 6
    run = latest_run(tmp_path / "c.db", site.id)
    assert run.complete is False and run.channels["budget_exhausted"] is True
    assert len(releases(tmp_path / "c.db", site.id)) < len(site.entries)
