"""``scrapers.discovery.urls``: which URLs look like releases, and the one URL a release goes by."""

from __future__ import annotations

import pytest

from scrapers.discovery.urls import canonical_url, is_pager_url, looks_like_release_url, on_site

BASE = "https://www.kreis-x.de/presse/"


@pytest.mark.parametrize(("url", "start", "expected"), [
    ("https://www.kreis-x.de/presse/besuch-im-ki", BASE, True),  # below the start path
    ("https://www.kreis-x.de/2024/05/besuch-im-ki/", "https://www.kreis-x.de/", True),  # dated
    ("https://kreis-x.de/aktuelles/pressemitteilungen/detail/besuch", "https://www.kreis-x.de/", True),
    ("https://www.kreis-x.de/aktuelles/", "https://www.kreis-x.de/", False),  # a listing
    ("https://www.kreis-x.de/presse/pressemitteilungen/", "https://www.kreis-x.de/", False),
    ("https://www.kreis-x.de/presse/?page=2", BASE, False),  # pagination
    ("https://www.kreis-x.de/presse/archiv/2023", BASE, False),  # a year archive
    ("https://www.kreis-x.de/presse/archiv/2023/04/", BASE, False),  # a month archive
    ("https://www.kreis-x.de/integration/kommunales-integrationszentrum", "https://www.kreis-x.de/", False),
    ("https://www.kreis-x.de/presse/impressum", BASE, False),
    ("https://www.kreis-x.de/presse/tag/integration/", BASE, False),  # a tag page
    ("https://www.kreis-x.de/presse/plakat.jpg", BASE, False),
])
def test_sitemap_urls_are_kept_only_when_they_look_like_releases(url: str, start: str, expected: bool) -> None:
    assert looks_like_release_url(url, (start,)) is expected


@pytest.mark.parametrize(("url", "expected"), [
    # GSB: a session id in the path, changing from page to page
    ("https://www.land.nrw/DE/Presse/pm-1.html;jsessionid=0A1B2C3D?nn=123", "https://www.land.nrw/DE/Presse/pm-1.html?nn=123"),
    # tracking and session parameters
    ("https://www.kreis-x.de/presse/pm-1?utm_source=nl&utm_medium=mail&id=4", "https://www.kreis-x.de/presse/pm-1?id=4"),
    ("https://presse-service.example/meldungen.aspx?ps_id=1285&pm_id=77&sid=X9", "https://presse-service.example/meldungen.aspx?ps_id=1285&pm_id=77"),
    ("https://www.kreis-x.de/pm.php?PHPSESSID=abc&id=3", "https://www.kreis-x.de/pm.php?id=3"),
    # print, contrast and language variants of the same page
    ("https://www.stadt-x.de/detail/news/pm/?type=98", "https://www.stadt-x.de/detail/news/pm/"),
    ("https://www.stadt-x.de/detail/news/pm/?contrast=1&L=1", "https://www.stadt-x.de/detail/news/pm/"),
    # a TYPO3 page type that is not a variant (a feed) stays
    ("https://www.stadt-x.de/presse/?type=100", "https://www.stadt-x.de/presse/?type=100"),
    # parameters keep their order and spelling; the fragment goes
    ("https://www.stadt-x.de/d?tx_news_pi1%5Bnews%5D=5&cHash=ab#top", "https://www.stadt-x.de/d?tx_news_pi1%5Bnews%5D=5&cHash=ab"),
])
def test_one_release_has_one_url_whatever_the_cms_adds(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_wordpress_post_ids_are_not_page_numbers() -> None:
    assert not is_pager_url("https://ki-x.de/?p=123")
    assert is_pager_url("https://ki-x.de/presse/?p=2&ps_id=1") and is_pager_url("https://ki-x.de/page/3/")


def test_a_source_stays_on_its_own_sites() -> None:
    allowed = ("www.kreis-x.de", "presse-service.example")
    assert on_site("https://kreis-x.de/a", allowed) and on_site("http://presse-service.example/m", allowed)
    assert not on_site("https://www.other.de/a", allowed) and not on_site("ftp://www.kreis-x.de/a", allowed)
    assert not on_site("https://www.kreis-x.de:8080/a", allowed)


def test_a_shared_press_platform_keeps_a_source_to_its_own_press_office() -> None:
    from scrapers.discovery.urls import same_tenant, tenant

    scopes = [tenant("https://www.presse-service.example/meldungen.aspx?ps_id=1285")]
    assert scopes == [{"ps_id": "1285"}]
    assert same_tenant("https://www.presse-service.example/meldungen.aspx?ps_id=1285&pm_id=7", scopes)
    assert not same_tenant("https://www.presse-service.example/meldungen.aspx?ps_id=1290&pm_id=8", scopes)
    assert same_tenant("https://www.presse-service.example/druckversion.aspx?pm_id=7", scopes)
    assert same_tenant("https://www.kreis-x.de/index.php?NavID=2839.12&object=tx,2839.5", [])
