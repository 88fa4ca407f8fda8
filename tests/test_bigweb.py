"""The big test web keeps its promises: its truth is reachable, its traps are present, its bytes are stable.

If these fail, a crawler test against the web measures the web's bugs instead of the crawler's.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import feedparser
import pypdf
import pytest
from lxml import etree

from scrapers.sources import load_sources
from tests.bigweb import BigWeb, LiveWeb, ReleaseTruth, SiteTruth
from tests.bigweb.client import (
    Client,
    Fetched,
    follow_links,
    links_of,
    robots_sitemaps,
    sitemap_urls,
)
from tests.bigweb.truth import normalized

SCALE = 0.1
LINK_CHANNELS = {"listing", "archive", "tag", "category", "author", "related", "home"}
FEEDS = {"typo3": "/presse/pressemitteilungen/?type=9818", "drupal": "/rss.xml", "wordpress": "/feed/"}


@pytest.fixture(scope="module")
def live() -> Iterator[LiveWeb]:
    with BigWeb(seed=1, scale=SCALE).serve() as running:
        yield running


def site_of(live: LiveWeb, family: str) -> SiteTruth:
    return next(s for s in live.sites if s.family == family)


def text_of(page: Fetched) -> str:
    """The readable text of a page or PDF, hyphenated line ends joined, whitespace collapsed."""
    if page.headers.get("content-type", "").startswith("application/pdf"):
        reader = pypdf.PdfReader(io.BytesIO(page.body))
        raw = "\n".join(p.extract_text() for p in reader.pages)
        return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", raw).split())
    try:
        decoded = page.body.decode("utf-8")
    except UnicodeDecodeError:
        decoded = page.body.decode("cp1252")
    return " ".join(html.unescape(decoded).split())


def fetch_sequence(live: LiveWeb) -> list[bytes]:
    client = Client()
    bodies = []
    for site in live.sites:
        base = live.base(site.slug)
        urls = [site.start_url, site.releases[0].canonical_url, site.releases[-1].canonical_url,
                *site.releases[-1].aliases, base + "/robots.txt"]
        bodies += [client.get(u).body.replace(base.encode(), b"BASE") for u in urls]
    return bodies


def test_the_same_seed_serves_the_same_bytes_and_another_seed_does_not() -> None:
    with BigWeb(seed=7, scale=SCALE).serve() as first, BigWeb(seed=7, scale=SCALE).serve() as second:
        assert fetch_sequence(first) == fetch_sequence(second)
        assert first.truth_json().count("K-") == second.truth_json().count("K-")
    with BigWeb(seed=8, scale=SCALE).serve() as other, BigWeb(seed=7, scale=SCALE).serve() as again:
        assert fetch_sequence(other) != fetch_sequence(again)


def test_full_scale_has_ten_families_with_200_to_450_releases_back_to_2015() -> None:
    web = BigWeb(seed=1, scale=1.0)
    counts = {slug: len(site.releases) for slug, site in web.sites.items()}
    assert len({site.family for site in web.sites.values()}) == len(web.sites) >= 10
    assert all(200 <= n <= 450 for n in counts.values()), counts
    assert 2800 <= sum(counts.values()) <= 3600
    assert all(site.releases[0].published.year <= 2015 for site in web.sites.values())


def test_every_release_is_served_at_its_canonical_url_and_every_alias_with_its_marker(live: LiveWeb) -> None:
    client = Client()
    for site in live.sites:
        for release in site.releases:
            for url in release.urls():
                page = client.get(url)
                assert page.status == 200, url
                if release.broken:
                    with pytest.raises(pypdf.errors.PdfReadError):
                        text_of(page)
                else:
                    assert release.marker in text_of(page), url


def test_every_marker_belongs_to_one_release_only(live: LiveWeb) -> None:
    markers = [r.marker for s in live.sites for r in s.releases]
    assert len(markers) == len(set(markers))


def test_following_links_from_the_start_url_reaches_every_release_a_page_lists(live: LiveWeb) -> None:
    for site in live.sites:
        reached = follow_links(site.start_url)
        for release in site.releases:
            if release.channels & LINK_CHANNELS and release.kind == "html":
                assert any(normalized(u) in reached for u in release.urls()), (site.slug, release.canonical_url)


@pytest.mark.parametrize("family", ["typo3", "wordpress"])
def test_releases_taken_off_the_listing_are_only_in_the_sitemap(live: LiveWeb, family: str) -> None:
    site = site_of(live, family)
    unlisted = [r for r in site.releases if "listing" not in r.channels]
    assert unlisted and all(r.channels == {"sitemap"} for r in unlisted)
    reached = follow_links(site.start_url)
    in_sitemaps = {normalized(u) for s in robots_sitemaps(live.base(site.slug)) for u in sitemap_urls(s)}
    for release in unlisted:
        assert not any(normalized(u) in reached for u in release.urls())
        assert normalized(release.canonical_url) in in_sitemaps


@pytest.mark.parametrize("family", sorted(FEEDS))
def test_feeds_parse_and_hold_the_latest_ten_with_utc_dates(live: LiveWeb, family: str) -> None:
    site = site_of(live, family)
    feed = feedparser.parse(Client().get(live.base(site.slug) + FEEDS[family]).body)
    assert feed.bozo == 0
    in_feed = [r for r in site.releases if "feed" in r.channels]
    assert [e.link for e in feed.entries] == [r.canonical_url for r in reversed(in_feed)]
    assert len(feed.entries) == 10
    by_link = {r.canonical_url: r for r in site.releases}
    shifted = [e for e in feed.entries if e.published_parsed[:3] != by_link[e.link].published.timetuple()[:3]]
    assert shifted, "the release at 00:30 Berlin time carries the previous day in UTC"


def test_sitemaps_list_every_release_of_the_sitemap_channel(live: LiveWeb) -> None:
    for site in live.sites:
        declared = robots_sitemaps(live.base(site.slug))
        if not any("sitemap" in r.channels for r in site.releases):
            continue
        listed = {normalized(u) for sitemap in declared for u in sitemap_urls(sitemap)}
        missing = [r.canonical_url for r in site.releases if "sitemap" in r.channels
                   and normalized(r.canonical_url) not in listed]
        assert not missing, (site.slug, missing[:3])


def test_the_news_sitemap_holds_the_latest_twenty_and_the_index_is_also_gzipped(live: LiveWeb) -> None:
    site = site_of(live, "sitemaponly")
    base = live.base(site.slug)
    news = etree.fromstring(Client().get(base + "/sitemap-news.xml").body)
    assert len(news.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")) == 20
    packed = Client().get(base + "/sitemap.xml.gz").body
    assert gzip.decompress(packed) == Client().get(base + "/sitemap.xml").body
    assert b"presse-liste\" class=\"js-list\" data-endpoint=\"/api/presse.json\"></div>" in Client().get(site.start_url).body


def test_yoast_post_sitemaps_hold_at_most_a_hundred_urls(live: LiveWeb) -> None:
    site = site_of(live, "wordpress")
    index = Client().get(live.base(site.slug) + "/sitemap_index.xml").body
    children = re.findall(rb"<loc>([^<]+)</loc>", index)
    assert any(c.endswith(b"/page-sitemap.xml") for c in children)
    for child in children:
        assert len(sitemap_urls(child.decode())) <= 100


def test_pages_answer_304_to_their_etag_or_last_modified(live: LiveWeb) -> None:
    client = Client()  # GSB pages only stay byte-identical once the session cookie comes back
    polite = [s for s in live.sites if s.family not in ("ikiss",)]
    for site in polite:
        url = site.releases[0].canonical_url
        client.get(url)
        first = client.get(url)
        etag, modified = first.headers.get("etag"), first.headers.get("last-modified")
        assert etag or modified, site.slug
        if etag:
            assert client.get(url, {"If-None-Match": etag}).status == 304
        if modified:
            assert client.get(url, {"If-Modified-Since": modified}).status == 304
            assert client.get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200


def test_a_new_release_changes_the_listing_etag_and_leads_listing_and_feed(live: LiveWeb) -> None:
    site = site_of(live, "typo3")
    client = Client()
    before = client.get(site.start_url)
    [added] = live.add_releases(site.slug, 1)
    after = client.get(site.start_url, {"If-None-Match": before.headers["etag"]})
    assert after.status == 200 and after.headers["etag"] != before.headers["etag"]
    assert added.canonical_url.split("127.0.0.1")[1].split(":", 1)[1].split("/", 1)[1] in after.body.decode()
    feed = feedparser.parse(client.get(live.base(site.slug) + FEEDS["typo3"]).body)
    assert feed.entries[0].link == added.canonical_url
    assert "feed" in added.channels and added in live.site(site.slug).releases


def test_the_ikiss_site_serves_windows_1252_with_no_charset_and_a_lying_meta_tag(live: LiveWeb) -> None:
    site = site_of(live, "ikiss")
    pages = {r.id: Client().get(r.canonical_url) for r in site.releases}
    assert all(p.headers["content-type"] == "text/html" for p in pages.values())
    lying = {rid for rid, p in pages.items() if b'<meta charset="utf-8">' in p.body}
    assert lying == {r.id for r in site.releases if "wrong-meta-charset" in r.traits}
    assert 0 < len(lying) < len(pages)
    for release in site.releases:
        page = pages[release.id].body
        with pytest.raises(UnicodeDecodeError):
            page.decode("utf-8")
        assert release.title in page.decode("cp1252")
        assert release.published.strftime("%d.%m.%Y") not in page.decode("cp1252")  # the date is on the listing only


def test_gsb_without_cookies_never_answers_304(live: LiveWeb) -> None:
    stateless = Client(cookies=False)
    url = site_of(live, "gsb").releases[-1].canonical_url
    assert stateless.get(url, {"If-None-Match": stateless.get(url).headers["etag"]}).status == 200


def test_gsb_rewrites_links_with_a_new_jsessionid_until_the_cookie_comes_back(live: LiveWeb) -> None:
    site = site_of(live, "gsb")
    stateless = Client(cookies=False)
    first, second = (links_of(stateless.get(site.start_url)) for _ in range(2))
    ids = {re.search(r";jsessionid=(\w+)", u).group(1) for u in first + second if ";jsessionid=" in u}
    assert len(ids) == 2
    browser = Client()
    browser.get(site.start_url)
    assert not any(";jsessionid=" in u for u in links_of(browser.get(site.start_url)))


def test_presse_service_puts_a_new_sid_in_every_response(live: LiveWeb) -> None:
    site = site_of(live, "presseservice")
    sids = {re.search(r"sid=(\w+)", u).group(1) for _ in range(3) for u in links_of(Client().get(site.start_url))
            if "sid=" in u}
    assert len(sids) == 3


def test_pdf_releases_have_a_letterhead_on_every_page_and_hyphenated_lines(live: LiveWeb) -> None:
    site = site_of(live, "gsb")
    readable = [r for r in site.releases if r.kind == "pdf" and not r.broken]
    assert len(readable) >= 2 and any(r.broken for r in site.releases)
    reader = pypdf.PdfReader(io.BytesIO(Client().get(readable[0].canonical_url).body))
    assert len(reader.pages) == 2
    assert all("Ministerium für Kinder" in p.extract_text() for p in reader.pages)
    raw = "".join(p.extract_text() for pdf in readable for p in pypdf.PdfReader(
        io.BytesIO(Client().get(pdf.canonical_url).body)).pages)
    assert re.search(r"\w-\n\w", raw)


def test_the_newspaper_prints_utc_so_late_releases_show_the_day_before(live: LiveWeb) -> None:
    site = site_of(live, "newspaper")
    shifted = set()
    for release in site.releases:
        page = Client().get(release.canonical_url).body.decode()
        stamp = re.search(r'<time class="article-date" datetime="([^"]+)Z"', page).group(1)
        assert release.marker not in page.split("application/ld+json")[0]  # only the JSON-LD has the text
        if stamp[:10] != release.published.isoformat():
            shifted.add(release.id)
    assert shifted and shifted == {r.id for r in site.releases if "utc-day-before" in r.traits}


def test_pagination_beyond_the_end_is_404_on_some_sites_and_clamped_on_others(live: LiveWeb) -> None:
    client = Client()
    assert client.get(site_of(live, "drupal").start_url + "?page=999").status == 404
    assert client.get(live.base(site_of(live, "wordpress").slug) + "/page/999/").status == 404
    assert client.get(site_of(live, "typo3").start_url + "?tx_news_pi1%5BcurrentPage%5D=999").status == 200


def test_drupal_node_urls_redirect_to_their_alias(live: LiveWeb) -> None:
    site = site_of(live, "drupal")
    release = site.releases[0]
    answer = Client(redirects=False).get(release.aliases[0])
    assert answer.status == 301 and answer.headers["location"] == urlsplit(release.canonical_url).path


def test_undated_releases_have_no_date_in_the_truth_and_none_on_the_page() -> None:
    with BigWeb(seed=1).serve() as full:
        site = site_of(full, "navhome")
        undated = [r for r in site.releases if r.published is None]
        assert undated
        for release in undated:
            page = text_of(Client().get(release.canonical_url))
            assert not re.search(r"\d\d\.\d\d\.\d{4}", page), release.canonical_url
        dated = next(r for r in site.releases if r.published)
        assert dated.published.strftime("%d.%m.%Y") in text_of(Client().get(dated.canonical_url))


def test_non_releases_resolve_and_are_no_release(live: LiveWeb) -> None:
    client = Client()
    for site in live.sites:
        for url in site.non_releases:
            assert client.get(url).status == 200, url
            assert not any(r.matches(url) for r in site.releases), url


def test_robots_forbid_search_and_ask_for_a_crawl_delay_somewhere(live: LiveWeb) -> None:
    texts = [Client().get(live.base(s.slug) + "/robots.txt").body.decode() for s in live.sites]
    assert any("Disallow: /suche/" in t for t in texts) and any("Crawl-delay:" in t for t in texts)


def test_the_registry_it_writes_validates_with_the_real_loader(live: LiveWeb, tmp_path) -> None:
    path = live.write_sources(tmp_path / "sources.toml")
    sources = load_sources(path)
    assert [s.url for s in sources] == [s.start_url for s in live.sites]
    assert len(live.write_sources(tmp_path / "two.toml", slugs=[live.sites[0].slug]).read_text().split("[[source]]")) == 2


def test_the_request_log_records_every_request_in_order(live: LiveWeb) -> None:
    site = live.sites[0]
    live.reset_requests()
    Client().get(site.start_url)
    Client().get(site.start_url + "nope/")
    assert live.requests(site.slug)[-2:] == [("GET", urlsplit(site.start_url).path, 200),
                                             ("GET", urlsplit(site.start_url).path + "nope/", 404)]


def test_truth_json_carries_berlin_dates_and_channels(live: LiveWeb) -> None:
    data = json.loads(live.truth_json())
    release = data["sites"][0]["releases"][0]
    assert set(release) >= {"id", "canonical_url", "aliases", "published", "marker", "kind", "broken", "channels"}
    assert ReleaseTruth(**{**release, "published": None, "channels": set(release["channels"])}).matches(
        release["canonical_url"] + ("&" if "?" in release["canonical_url"] else "?") + "utm_source=x")
