"""Politeness by default: robots.txt, throttling, an honest User-Agent, retries with backoff,
and conditional GET so an unchanged site costs almost nothing the second time."""

from __future__ import annotations

from pathlib import Path

from helpers_crawl import crawl, latest_run, releases
from scrapy.utils.project import get_project_settings

from monitor.demoweb import start_demo_web
from monitor.demoweb.catalog import demo_sites
from monitor.demoweb.catalog import sources_toml as demo_sources_toml
from monitor.demoweb.testsites import build_test_site, sources_toml


def test_default_settings_are_polite(monkeypatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    s = get_project_settings()
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "ki-monitor" in s.get("USER_AGENT") and "+http" in s.get("USER_AGENT")
    assert 0 < s.getint("DOWNLOAD_TIMEOUT") <= 60 and 0 < s.getint("DOWNLOAD_MAXSIZE") <= 50 * 2**20
    assert {500, 502, 503, 504}.issubset(set(s.getlist("RETRY_HTTP_CODES"), ) | {int(c) for c in s.getlist("RETRY_HTTP_CODES")})
    assert s.getfloat("RETRY_BACKOFF_BASE") >= 1
    assert "scrapers.middlewares.BackoffRetryMiddleware" in s.getdict("DOWNLOADER_MIDDLEWARES")


def test_contact_in_user_agent_is_configurable(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "from scrapers import settings; print(settings.USER_AGENT)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"KI_MONITOR_CONTACT": "mailto:presse-monitor@example.org", "PATH": ""},
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert "+mailto:presse-monitor@example.org" in out


def test_pages_disallowed_by_robots_txt_are_never_requested(tmp_path: Path) -> None:
    site = build_test_site("wordpress-listing")
    hidden = site.entries[2]
    with start_demo_web([site]) as web:
        path = site.family.article_path(hidden)
        site.disallow = ("/intern/", path)
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml([site]), "utf-8")
        crawl(tmp_path / "c.db", registry)
        found = releases(tmp_path / "c.db", site.id)
    assert path not in [p for p, _ in web[site.id].hits]
    assert set(found) == site.expected_urls() - {site.article_url(hidden)}


def test_server_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    site = build_test_site("wordpress-listing")
    flaky = site.entries[0]
    with start_demo_web([site]):
        path = site.family.article_path(flaky)
        site.failures[path] = [503, 503]  # two failures, then the page
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml([site]), "utf-8")
        proc = crawl(tmp_path / "c.db", registry, settings={"RETRY_TIMES": "2"})
        fetch = releases(tmp_path / "c.db", site.id)[site.article_url(flaky)]
    assert [s for p, s in site.hits if p == path] == [503, 503, 200]
    assert fetch.status == 200 and fetch.text
    # Backoff 0.05 s then 0.1 s (RETRY_BACKOFF_BASE from the test helpers).
    assert "'retry/backoff_seconds': 0.15" in proc.stderr


def test_a_second_run_over_an_unchanged_web_downloads_no_page_again(tmp_path: Path) -> None:
    sites = [*demo_sites(), build_test_site("typo3-news"), build_test_site("wordpress-sitemap")]
    with start_demo_web(sites) as web:
        registry = tmp_path / "sources.toml"
        registry.write_text(demo_sources_toml(sites[:4]) + "\n" + sources_toml(sites[4:]), "utf-8")
        db = tmp_path / "c.db"
        crawl(db, registry)
        for site in web.sites.values():
            site.hits.clear()
        crawl(db, registry)
        for site in web.sites.values():
            run = latest_run(db, site.id)
            # A daily run: only the news channels are read, and they answer 304.
            assert run.status == "ok" and run.discovery == "daily" and 0 < run.candidates <= len(site.entries), site.id
            again = [p for p, status in site.hits if status == 200 and p != "/robots.txt"]
            assert again == [], (site.id, again)
            assert all(f.not_modified for f in releases(db, site.id).values())
