"""Feeds, sitemaps and the HTML document frame, written the way CMSs emit them.

RSS dates are in UTC (``+0000`` / ``GMT``) as Drupal, WordPress and tx_news write them, so a
release published at 00:30 in Berlin carries the previous day in its feed entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from tests.bigweb.model import UTC, esc


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    published: datetime
    description: str
    guid: str


def rss(title: str, link: str, self_url: str, items: list[FeedItem], gmt: bool = True) -> str:
    def when(moment: datetime) -> str:
        return format_datetime(moment.astimezone(UTC), usegmt=gmt)

    entries = "".join(
        f"<item><title>{esc(i.title)}</title><link>{esc(i.link)}</link>"
        f"<description>{esc(i.description)}</description><pubDate>{when(i.published)}</pubDate>"
        f"<guid isPermaLink=\"false\">{esc(i.guid)}</guid></item>\n" for i in items)
    built = when(items[0].published) if items else "Thu, 01 Jan 2015 00:00:00 GMT"
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>"
            f"<title>{esc(title)}</title><link>{esc(link)}</link><description>{esc(title)}</description>"
            f"<language>de-DE</language><lastBuildDate>{built}</lastBuildDate>"
            f"<atom:link href=\"{esc(self_url)}\" rel=\"self\" type=\"application/rss+xml\"/>\n"
            f"{entries}</channel></rss>\n")


def urlset(entries: list[tuple[str, datetime | None]]) -> str:
    rows = "".join(
        f"<url><loc>{esc(loc)}</loc>" + (f"<lastmod>{mod.isoformat()}</lastmod>" if mod else "") + "</url>\n"
        for loc, mod in entries)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n" + rows + "</urlset>\n")


def sitemap_index(entries: list[tuple[str, datetime | None]]) -> str:
    rows = "".join(
        f"<sitemap><loc>{esc(loc)}</loc>" + (f"<lastmod>{mod.isoformat()}</lastmod>" if mod else "")
        + "</sitemap>\n" for loc, mod in entries)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n" + rows
            + "</sitemapindex>\n")


def news_sitemap(publication: str, entries: list[tuple[str, str, datetime]]) -> str:
    rows = "".join(
        f"<url><loc>{esc(loc)}</loc><news:news><news:publication><news:name>{esc(publication)}"
        f"</news:name><news:language>de</news:language></news:publication>"
        f"<news:publication_date>{when.isoformat()}</news:publication_date>"
        f"<news:title>{esc(title)}</news:title></news:news></url>\n" for loc, title, when in entries)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
            "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n" + rows + "</urlset>\n")


def document(title: str, body: str, head: str = "", lang: str = "de", body_class: str = "",
             charset_meta: str = "<meta charset=\"utf-8\">") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>{charset_meta}\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n{head}</head>\n<body class=\"{body_class}\">\n{body}\n</body>\n</html>\n")


def paragraphs(texts: tuple[str, ...] | list[str]) -> str:
    return "".join(f"<p>{esc(t)}</p>\n" for t in texts)


COOKIE_BANNER = ("<div class=\"cookie-consent\" role=\"dialog\"><p>Wir verwenden Cookies, um unsere "
                 "Website für Sie optimal zu gestalten.</p><button>Alle akzeptieren</button>"
                 "<button>Nur notwendige</button></div>")
