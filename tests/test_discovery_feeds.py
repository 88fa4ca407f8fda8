"""``scrapers.discovery.feeds``: announced feeds, and feed dates as the Berlin calendar date."""

from __future__ import annotations

from datetime import date

from parsel import Selector

from scrapers.discovery.feeds import berlin_date, feed_links, is_feed, parse_feed

BASE = "https://www.kreis-x.de/presse/"


def test_feed_links_skip_comment_feeds_and_prefer_press_feeds() -> None:
    sel = Selector(text="""<head>
      <link rel="alternate" type="application/rss+xml" title="Kommentare" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Veranstaltungen" href="/events.rss">
      <link rel="alternate" type="application/rss+xml" title="Pressemitteilungen" href="/presse.rss">
    </head>""")
    assert feed_links(sel, BASE) == ["https://www.kreis-x.de/presse.rss", "https://www.kreis-x.de/events.rss"]


def test_a_release_published_after_midnight_in_berlin_keeps_its_berlin_date() -> None:
    # 00:30 in Berlin (summer time) is 22:30 UTC the day before.
    assert berlin_date("Mon, 01 Oct 2018 22:30:00 +0000") == date(2018, 10, 2)
    assert berlin_date("2018-10-01T22:30:00Z") == date(2018, 10, 2)
    assert berlin_date("2018-12-31T23:30:00+00:00") == date(2019, 1, 1)  # winter time, +1 h
    assert berlin_date("Tue, 02 Oct 2018 10:00:00 +0200") == date(2018, 10, 2)
    assert berlin_date("2018-10-02") == date(2018, 10, 2) and berlin_date("02.10.2018") == date(2018, 10, 2)
    assert berlin_date("kein Datum") is None and berlin_date(None) is None


def test_rss_and_atom_items_become_candidates_with_berlin_dates() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Presse</title>
      <item><title>Besuch im KI</title><link>https://www.kreis-x.de/presse/besuch</link>
      <pubDate>Mon, 01 Oct 2018 22:30:00 GMT</pubDate></item></channel></rss>"""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>P</title>
      <entry><title>Geld</title><link rel="alternate" href="/presse/geld"/><published>2019-05-03T08:00:00+02:00</published></entry></feed>"""
    assert is_feed(rss, None) and is_feed(atom, "application/atom+xml")
    assert [(c.url, c.date) for c in parse_feed(rss, BASE)] == [("https://www.kreis-x.de/presse/besuch", date(2018, 10, 2))]
    assert [(c.url, c.date) for c in parse_feed(atom, BASE)] == [("https://www.kreis-x.de/presse/geld", date(2019, 5, 3))]
    assert not is_feed(b"<!DOCTYPE html><html></html>", "text/xml")
