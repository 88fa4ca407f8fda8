"""The discovery heuristics on small pages: which URLs are releases, which link is the next page."""

from __future__ import annotations

import pytest
from parsel import Selector

from scrapers import discovery

BASE = "https://www.kreis-x.de/presse/"


@pytest.mark.parametrize(("url", "start", "expected"), [
    ("https://www.kreis-x.de/presse/besuch-im-ki", BASE, True),  # below the start path
    ("https://www.kreis-x.de/2024/05/besuch-im-ki/", "https://www.kreis-x.de/", True),  # dated
    ("https://kreis-x.de/aktuelles/pressemitteilungen/detail/besuch", "https://www.kreis-x.de/", True),
    ("https://www.kreis-x.de/aktuelles/", "https://www.kreis-x.de/", False),  # a listing
    ("https://www.kreis-x.de/presse/pressemitteilungen/", "https://www.kreis-x.de/", False),
    ("https://www.kreis-x.de/presse/?page=2", BASE, False),  # pagination
    ("https://www.kreis-x.de/presse/archiv/2023", BASE, False),  # a year archive
    ("https://www.kreis-x.de/integration/kommunales-integrationszentrum", "https://www.kreis-x.de/", False),
    ("https://www.kreis-x.de/presse/impressum", BASE, False),
    ("https://www.other.de/presse/besuch", BASE, False),  # another site
    ("https://www.kreis-x.de/presse/plakat.jpg", BASE, False),
])
def test_sitemap_urls_are_kept_only_when_they_look_like_releases(url: str, start: str, expected: bool) -> None:
    assert discovery.looks_like_release_url(url, start) is expected


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
    sel = Selector(text=f"<html><body><main>{pager}</main></body></html>")
    found = discovery.next_page(sel, BASE, 1)
    assert found == (discovery.urljoin(BASE, expected) if expected else None)


def test_feed_links_skip_comment_feeds_and_prefer_press_feeds() -> None:
    sel = Selector(text="""<head>
      <link rel="alternate" type="application/rss+xml" title="Kommentare" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Veranstaltungen" href="/events.rss">
      <link rel="alternate" type="application/rss+xml" title="Pressemitteilungen" href="/presse.rss">
    </head>""")
    assert discovery.feed_links(sel, BASE) == ["https://www.kreis-x.de/presse.rss", "https://www.kreis-x.de/events.rss"]


def test_navigation_lists_full_of_ki_words_are_not_releases() -> None:
    nav = "".join(f'<li><a href="/integration/{i}">Kommunales Integrationszentrum – Angebot {i}</a></li>' for i in range(6))
    items = "".join(f'<div class="item"><span>0{i}.05.2024</span> <a href="/presse/pm-{i}">Kurz {i}</a></div>' for i in range(1, 4))
    sel = Selector(text=f"<html><body><nav><ul>{nav}</ul></nav><main><ul>{nav}</ul>{items}</main></body></html>")
    found = discovery.release_links(sel, BASE)
    assert [c.url.rsplit("/", 1)[1] for c in found] == ["pm-1", "pm-2", "pm-3"]
    assert [c.date.day for c in found] == [1, 2, 3]


def test_press_link_is_found_on_a_home_page() -> None:
    sel = Selector(text='<a href="/buergerservice">Bürgerservice</a><a href="/aktuelles/presse">Pressemitteilungen</a>')
    assert discovery.press_page_link(sel, "https://www.kreis-x.de/") == "https://www.kreis-x.de/aktuelles/presse"
