"""The presse-service.de family: an office's list, paged by ``Startrow`` offsets, crawled from
its ``meldungen.aspx?ps_id=N`` start URL alone yields every release of the office with the date
its row and its page print, with and without the family's hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_crawl import crawl, latest_run, releases
from parsel import Selector

from monitor.demoweb import start_demo_web
from monitor.demoweb.testsites import build_test_site
from scrapers.discovery.listings import release_links
from scrapers.discovery.pagination import next_page
from scrapers.spiders.families import FAMILY_HINTS

HINTS = FAMILY_HINTS["presseservice"]


def _listing(site, n: int) -> Selector:
    path = site.family.listing_path(n)
    return Selector(text=site.pages()[path].body.decode("utf-8"), base_url=site.base_url + path)


def test_the_list_is_paged_by_row_offsets_of_one_office() -> None:
    site = build_test_site("presseservice")
    site.base_url = "http://127.0.0.1:1"
    paths = [site.family.listing_path(n) for n in range(1, len(site.listing_pages()) + 1)]
    assert paths == ["/meldungen.aspx?ps_id=1285", "/meldungen.aspx?Startrow=5&Typ=0&ps_id=1285",
                     "/meldungen.aspx?Startrow=9&Typ=0&ps_id=1285"]
    assert all(p in site.pages() for p in paths)
    assert site.article_url(site.entries[0]).startswith("http://127.0.0.1:1/data.aspx/static/")


def test_family_hints_take_every_row_with_its_date_and_the_next_page() -> None:
    site = build_test_site("presseservice")
    site.base_url = "http://127.0.0.1:1"
    allowed = ("127.0.0.1:1",)
    first = _listing(site, 1)
    found = release_links(first, site.start_url, allowed, HINTS)
    assert [(c.url, c.title, c.date) for c in found] == [
        (site.article_url(e), e.title, e.published) for e in site.entries[:4]]
    assert next_page(first, site.start_url, allowed, 1, HINTS["next"]) == site.base_url + site.family.listing_path(2)
    last = _listing(site, 3)
    assert next_page(last, site.base_url + site.family.listing_path(3), allowed, 3, HINTS["next"]) is None


@pytest.mark.parametrize("cms", [None, "presseservice"])
def test_crawl_from_the_office_list_finds_every_release_with_its_date(tmp_path: Path, cms: str | None) -> None:
    site = build_test_site("presseservice")
    with start_demo_web([site]):
        registry = tmp_path / "sources.toml"
        family = f'cms = "{cms}"\n' if cms else ""
        registry.write_text(f'[[source]]\nid = "kreis-steinfurt"\nki = "Kreis Steinfurt"\n'
                            f'url = "{site.start_url}"\n{family}', "utf-8")
        crawl(tmp_path / "c.db", registry)
    found = releases(tmp_path / "c.db", "kreis-steinfurt")
    assert set(found) == site.expected_urls()
    assert {url: f.published for url, f in found.items()} == {site.article_url(e): e.published for e in site.entries}
    assert {url: f.listing_date for url, f in found.items()} == {site.article_url(e): e.published for e in site.entries}
    run = latest_run(tmp_path / "c.db", "kreis-steinfurt")
    assert (run.discovery, run.status, run.complete) == ("backfill", "ok", True)
    assert run.channels["found"]["listing"] == len(site.entries), run.channels
