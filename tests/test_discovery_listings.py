"""``scrapers.discovery`` listings, pagination, archives and the hop, on small pages."""

from __future__ import annotations

import pytest
from parsel import Selector

from scrapers.discovery.archives import archive_links
from scrapers.discovery.hop import press_page_links
from scrapers.discovery.listings import looks_like_listing, release_links
from scrapers.discovery.pagination import next_page, pager_links

BASE = "https://www.kreis-x.de/presse/"
ALLOWED = ("www.kreis-x.de",)


def page(body: str) -> Selector:
    return Selector(text=f"<html><body>{body}</body></html>", base_url=BASE)


@pytest.mark.parametrize(("pager", "expected"), [
    ('<a rel="next" href="?page=2">2</a>', "?page=2"),
    ('<div class="pagination"><a href="/presse/seite/2">weiter</a></div>', "/presse/seite/2"),
    ('<ul class="pager"><li><a href="/presse?page=1">»</a></li></ul>', "/presse?page=1"),
    ('<nav class="pagination"><a href="/presse/page/3/">Nächste Seite</a></nav>', "/presse/page/3/"),
    ('<div class="browse"><a href="/presse?start=20">1</a><a href="/presse?start=40">2</a></div>', "/presse?start=40"),
    ('<div class="teaser"><a href="/veranstaltungen">mehr »</a></div>', None),  # not a pager
    ('<p><a href="/presse/weitere-themen">Weitere Themen</a></p>', None),
])
def test_next_page_follows_pagers_not_teaser_links(pager: str, expected: str | None) -> None:
    found = next_page(page(f"<main>{pager}</main>"), BASE, ALLOWED, 1)
    assert found == (f"https://www.kreis-x.de{expected}" if expected and expected.startswith("/")
                     else (BASE + expected if expected else None))


def test_every_numbered_page_of_a_pager_window_is_found_but_not_years() -> None:
    pager = '<ul class="pagination">' + "".join(f'<li><a href="?page={n}">{n + 1}</a></li>' for n in (1, 2, 44)) + \
        '</ul><div class="archiv"><a href="/presse/archiv/2016/">2016</a></div>'
    assert pager_links(page(pager), BASE, ALLOWED) == [BASE + "?page=1", BASE + "?page=2", BASE + "?page=44"]


def test_navigation_lists_full_of_ki_words_are_not_releases() -> None:
    nav = "".join(f'<li><a href="/integration/{i}">Kommunales Integrationszentrum – Angebot {i}</a></li>' for i in range(6))
    items = "".join(f'<div class="item"><span>0{i}.05.2024</span> <a href="/presse/pm-{i}">Kurz {i}</a></div>' for i in range(1, 4))
    found = release_links(page(f"<nav><ul>{nav}</ul></nav><main><ul>{nav}</ul>{items}</main>"), BASE, ALLOWED)
    assert [c.url.rsplit("/", 1)[1] for c in found] == ["pm-1", "pm-2", "pm-3"]
    assert [c.date.day for c in found] == [1, 2, 3]


def test_a_tag_page_is_a_listing_and_an_article_with_a_related_box_is_not() -> None:
    items = "".join(f'<li><time datetime="2024-05-0{i}">0{i}.05.2024</time> <a href="/presse/pm-{i}">Pressemitteilung '
                    f'über das Thema Nummer {i} im Kreis</a></li>' for i in range(1, 6))
    body = "<p>" + "Der Kreis hat heute ein neues Angebot vorgestellt und die Einzelheiten erläutert. " * 12 + "</p>"
    assert looks_like_listing(page(f"<main><h1>Thema: Integration</h1><ul>{items}</ul></main>"), BASE, ALLOWED)
    assert not looks_like_listing(page(f"<main><h1>Besuch im KI</h1>{body}<ul>{items}</ul></main>"), BASE, ALLOWED)


def test_year_and_month_archives_are_found_in_side_boxes_too() -> None:
    box = ('<aside><h3>Archiv</h3><a href="/presse/archiv/2016/">2016</a> <a href="/presse/?jahr=2015">2015</a>'
           '<a href="/presse/archiv/2016/03/">März 2016</a><a href="/presse/pressearchiv/">Pressearchiv</a>'
           '<a href="/veranstaltungen/2016">Termine</a></aside>')
    assert archive_links(page(box), BASE, ALLOWED) == [
        BASE + "archiv/2016/", BASE + "?jahr=2015", BASE + "archiv/2016/03/", BASE + "pressearchiv/"]


def test_the_press_section_is_found_from_a_home_page_strongest_word_first() -> None:
    nav = ('<nav><a href="/buergerservice">Bürgerservice</a><a href="/aktuelles/">Aktuelles</a>'
           '<a href="/rathaus/presse/pressemitteilungen/">Pressemitteilungen</a>'
           '<a href="/aktuelles/pressemitteilung/besuch-im-ki">Besuch im KI</a></nav>')
    assert press_page_links(page(nav), "https://www.kreis-x.de/", ALLOWED) == [
        "https://www.kreis-x.de/rathaus/presse/pressemitteilungen/", "https://www.kreis-x.de/aktuelles/"]
