"""presse-service.de, the shared press platform many NRW Kreise publish on, as a demo family.

Built from the platform's documented structure (URLs seen on archived copies of its pages):
one list per press office, ``meldungen.aspx?ps_id=N``, paged by a 1-based row offset
(``meldungen.aspx?Startrow=21&Typ=0&ps_id=N``); each row a date ``dd.mm.yyyy`` and a title that
links the release's static page ``data.aspx/static/<id>.html`` (relative links, as ASP.NET
writes them, no session ids). A release page names its office and prints "Datum: dd.mm.yyyy".
The markup around that is ours: only the URL scheme and the dates are known.
"""

from __future__ import annotations

from html import escape

from monitor.demoweb.families import Family, de_date
from monitor.demoweb.site import Entry, Site

# The platform's own navigation (no KI words: it is not a city portal).
PLATFORM_NAV = [
    ("Startseite", "/"),
    ("Pressestellen A–Z", "/pressestellen.aspx"),
    ("Suche", "/suche.aspx"),
    ("Über presse-service.de", "/ueber.aspx"),
]


class PresseService(Family):
    """One press office's list on presse-service.de; ``page_size`` rows per list page."""

    name = "presseservice"
    nav_items = PLATFORM_NAV

    def __init__(self, ps_id: int = 1285, office: str = "Kreis Steinfurt", page_size: int = 20) -> None:
        self.ps_id, self.office, self.page_size = ps_id, office, page_size

    def listing_path(self, n: int) -> str:
        if n == 1:
            return f"/meldungen.aspx?ps_id={self.ps_id}"
        return f"/meldungen.aspx?Startrow={(n - 1) * self.page_size + 1}&Typ=0&ps_id={self.ps_id}"

    def article_path(self, entry: Entry) -> str:
        return f"/data.aspx/static/{1_200_000 + entry.numeric_id}.html"

    @staticmethod
    def relative(path: str) -> str:
        """ASP.NET's links: ``data.aspx/static/…`` relative to the site root's pages."""
        return escape(path.lstrip("/"))

    def list_item(self, e: Entry) -> str:
        return (f'<tr class="meldung"><td class="datum">{de_date(e.published)}</td>'
                f'<td class="titel"><a href="{self.relative(self.article_path(e))}">{escape(e.title)}</a></td></tr>')

    def pager(self, site: Site, n: int, pages: int) -> str:
        first = (n - 1) * self.page_size + 1
        last = min(n * self.page_size, len(site.entries))
        parts = [f"Meldungen {first} bis {last} von {len(site.entries)}"]
        if n > 1:
            parts.insert(0, f'<a href="{self.relative(self.listing_path(n - 1))}">« zurück</a>')
        if n < pages:
            parts.append(f'<a href="{self.relative(self.listing_path(n + 1))}">weiter »</a>')
        return f'<div class="blaettern">{" | ".join(parts)}</div>'

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        rows = "".join(self.list_item(e) for e in entries)
        main = (f'<h1>Alle Meldungen der Pressestelle "{escape(self.office)}"</h1>'
                f'<table class="meldungen"><tr><th>Datum</th><th>Meldung</th></tr>{rows}</table>'
                f"{self.pager(site, n, pages)}")
        return self.layout(site, f"Meldungen – {self.office}", main)

    def render_article(self, site: Site, entry: Entry) -> str:
        office = f'<a href="{self.relative(self.listing_path(1))}">{escape(self.office)}</a>'
        main = (f'<div class="pressemeldung"><p class="pressestelle">Pressestelle: {office}</p>'
                f'<p class="datum">Datum: {de_date(entry.published)}</p><h1>{escape(entry.title)}</h1>'
                f"{self.paragraphs(entry)}"
                f'<p class="kontakt">Ansprechpartner: Pressestelle {escape(self.office)}, '
                f"Telefon 02551 69-0</p>"
                f'<p><a href="{self.relative(self.listing_path(1))}">Alle Meldungen dieser Pressestelle</a></p></div>')
        return self.layout(site, entry.title, main)
