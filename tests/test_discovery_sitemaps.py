"""``scrapers.discovery.sitemaps``: indexes, yearly and news sitemaps, gzip, and lastmod kept apart."""

from __future__ import annotations

import gzip
from datetime import date

from scrapers.discovery.sitemaps import (
    is_sitemap,
    parse_sitemap,
    robots_sitemaps,
    sitemap_releases,
    unzip,
)

BASE = "https://www.kreis-x.de/"
ALLOWED = ("www.kreis-x.de",)


def test_an_index_lists_every_child_but_taxonomies_press_like_first() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://www.kreis-x.de/page-sitemap.xml</loc></sitemap>
      <sitemap><loc>https://www.kreis-x.de/category-sitemap.xml</loc></sitemap>
      <sitemap><loc>https://www.kreis-x.de/sitemap-2016.xml</loc></sitemap>
      <sitemap><loc>https://www.kreis-x.de/post-sitemap2.xml</loc></sitemap>
      <sitemap><loc>https://www.kreis-x.de/news-sitemap.xml</loc></sitemap></sitemapindex>"""
    children = parse_sitemap(index, BASE).children
    assert set(children) == {BASE + "page-sitemap.xml", BASE + "sitemap-2016.xml", BASE + "post-sitemap2.xml",
                             BASE + "news-sitemap.xml"}
    assert children[:2] == [BASE + "post-sitemap2.xml", BASE + "news-sitemap.xml"]


def test_lastmod_is_an_edit_date_and_news_dates_are_publication_dates() -> None:
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://www.kreis-x.de/presse/besuch</loc><lastmod>2024-01-05</lastmod>
        <news:news><news:publication_date>2018-10-01T22:30:00Z</news:publication_date><news:title>Besuch</news:title></news:news></url>
    </urlset>"""
    [cand] = sitemap_releases(parse_sitemap(urlset, BASE), (BASE,), ALLOWED)
    assert (cand.date, cand.lastmod, cand.title) == (date(2018, 10, 2), date(2024, 1, 5), "Besuch")


def test_gzipped_sitemaps_are_read_and_a_gzip_bomb_yields_nothing() -> None:
    body = b'<?xml version="1.0"?><urlset><url><loc>https://www.kreis-x.de/presse/a</loc></url></urlset>'
    assert is_sitemap(gzip.compress(body)) and unzip(gzip.compress(body)) == body
    assert unzip(gzip.compress(b"\0" * (60 * 1024 * 1024))) == b""


def test_robots_txt_names_its_sitemaps() -> None:
    robots = b"User-agent: *\nDisallow: /suche/\nSitemap: https://www.kreis-x.de/sitemap_index.xml\nsitemap: /s2.xml\n"
    assert robots_sitemaps(robots, BASE) == [BASE + "sitemap_index.xml", BASE + "s2.xml"]
