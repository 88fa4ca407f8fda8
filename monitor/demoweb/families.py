"""CMS families: how each kind of municipal or state site lays out its press pages.

Every page carries the header, navigation and footer such sites have, navigation full of KI
words (so boilerplate must never make a page relevant), a cookie banner and a related-news box.
"""

from __future__ import annotations

from datetime import date
from html import escape

from monitor.demoweb.site import Entry, Site

NAV_ITEMS = [
    ("Kommunales Integrationszentrum", "/integration/kommunales-integrationszentrum"),
    ("KOMM-AN NRW", "/integration/komm-an-nrw"),
    ("Kommunales Integrationsmanagement", "/integration/kim"),
    ("Integrationsrat", "/politik/integrationsrat"),
    ("Bürgerservice", "/buergerservice"),
    ("Interner Bereich", "/intern/"),
]


def de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


class Family:
    """Base layout; subclasses choose URL schemes and the markup of list and article."""

    name = "generic"
    feed_path = "/feed.rss"
    nav_items = NAV_ITEMS  # the site's main navigation: (label, href)

    def listing_path(self, n: int) -> str:
        return "/presse/" if n == 1 else f"/presse/?page={n}"

    def article_path(self, entry: Entry) -> str:
        return f"/presse/{entry.slug}.html"

    # -- layout ----------------------------------------------------------------------------
    def head_extra(self, site: Site) -> str:
        if site.feed:
            return (f'<link rel="alternate" type="application/rss+xml" title="Pressemitteilungen" '
                    f'href="{site.family.feed_path}">')
        return ""

    def layout(self, site: Site, title: str, main: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for label, href in self.nav_items)
        charset = site.declared_charset or ""
        meta = f'<meta charset="{charset}">' if charset else ""
        return f"""<!DOCTYPE html>
<html lang="de"><head>{meta}<title>{escape(title)} | {escape(site.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{self.head_extra(site)}{head}</head>
<body>
<div id="cookie-banner">Diese Website verwendet Cookies. <a href="/datenschutz">Datenschutz</a> <button>Alle akzeptieren</button></div>
<header><a href="/" class="logo">{escape(site.name)}</a>
<form action="/suche"><input name="q" placeholder="Suche"></form></header>
<nav class="main-nav"><ul>{nav}</ul></nav>
<main>{main}</main>
<aside class="service"><h2>Service</h2><p>Das Kommunale Integrationszentrum berät zu Bildung und Integration.
Sprechzeiten: Mo–Do 9–12 Uhr. KOMM-AN NRW Förderprogramm: Anträge bis 30.06.</p></aside>
<footer><ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a></li>
<li><a href="/barrierefreiheit">Barrierefreiheit</a></li></ul><p>© 2026 {escape(site.name)}</p></footer>
</body></html>"""

    def related(self, site: Site, entry: Entry) -> str:
        others = [e for e in site.entries if e is not entry][:3]
        items = "".join(
            f'<li><span class="date">{de_date(e.published)}</span> '
            f'<a href="{self.article_path(e)}">{escape(e.title)}</a></li>'
            for e in others
        )
        return f'<aside class="related"><h2>Weitere Meldungen</h2><ul>{items}</ul></aside>'

    def paragraphs(self, entry: Entry) -> str:
        return "".join(f"<p>{escape(p)}</p>" for p in entry.paragraphs)

    # Pager markup per family: format strings with {href} and {i}, joined inside PAGER_WRAP.
    PAGER_PREV = '<a href="{href}" rel="prev">« zurück</a>'
    PAGER_LINK = '<a href="{href}">{i}</a>'
    PAGER_CURRENT = "<strong>{i}</strong>"
    PAGER_NEXT = '<a href="{href}" rel="next">nächste Seite »</a>'
    PAGER_WRAP = '<nav class="pagination">{}</nav>'
    PAGER_SEP = " "

    def pager(self, site: Site, n: int, pages: int) -> str:
        parts = []
        if n > 1:
            parts.append(self.PAGER_PREV.format(href=self.listing_path(n - 1)))
        parts += [(self.PAGER_LINK if i != n else self.PAGER_CURRENT).format(href=self.listing_path(i), i=i)
                  for i in range(1, pages + 1)]
        if n < pages:
            parts.append(self.PAGER_NEXT.format(href=self.listing_path(n + 1)))
        return self.PAGER_WRAP.format(self.PAGER_SEP.join(parts))

    def render_home(self, site: Site) -> str:
        teaser = "".join(
            f'<li><a href="{self.article_path(e)}">{escape(e.title)}</a></li>' for e in site.entries[:3]
        )
        main = f"<h1>Willkommen bei {escape(site.name)}</h1><h2>Aktuelles</h2><ul>{teaser}</ul>"
        if site.listing:
            main += f'<p><a href="{self.listing_path(1)}">Alle Pressemitteilungen</a></p>'
        return self.layout(site, "Startseite", main)

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        items = "".join(self.list_item(e) for e in entries)
        main = f'<h1>Pressemitteilungen</h1><ul class="news-list">{items}</ul>{self.pager(site, n, pages)}'
        return self.layout(site, "Pressemitteilungen", main)

    def list_item(self, e: Entry) -> str:
        return (f'<li class="news-item"><span class="date">{de_date(e.published)}</span> '
                f'<a href="{self.article_path(e)}">{escape(e.title)}</a></li>')

    def render_article(self, site: Site, entry: Entry) -> str:
        main = (f"<article><h1>{escape(entry.title)}</h1>"
                f'<p class="date">Pressemitteilung vom {de_date(entry.published)}</p>'
                f"{self.paragraphs(entry)}</article>{self.related(site, entry)}")
        return self.layout(site, entry.title, main)


class GovernmentSiteBuilder(Family):
    """State portals (land.nrw, ministries): ``<time datetime>`` and article meta tags."""

    name = "gsb"
    feed_path = "/pressemitteilungen/rss.xml"

    def listing_path(self, n: int) -> str:
        return "/pressemitteilungen" if n == 1 else f"/pressemitteilungen?page={n - 1}"

    def article_path(self, entry: Entry) -> str:
        if entry.pdf is not None:
            return f"/system/files/pressemitteilungen/{entry.slug}.pdf"
        return f"/pressemitteilung/{entry.slug}"

    def list_item(self, e: Entry) -> str:
        kind = " (PDF)" if e.pdf is not None else ""
        return (f'<div class="views-row"><time datetime="{e.published.isoformat()}">{de_date(e.published)}</time>'
                f'<h3><a href="{self.article_path(e)}">{escape(e.title)}{kind}</a></h3></div>')

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        items = "".join(self.list_item(e) for e in entries)
        main = f'<h1>Pressemitteilungen</h1><div class="view-content">{items}</div>{self.pager(site, n, pages)}'
        return self.layout(site, "Pressemitteilungen", main)

    def render_article(self, site: Site, entry: Entry) -> str:
        head = f'<meta property="article:published_time" content="{entry.published.isoformat()}T10:00:00+01:00">'
        main = (f'<article class="node--type-press-release"><h1>{escape(entry.title)}</h1>'
                f'<time datetime="{entry.published.isoformat()}">{de_date(entry.published)}</time>'
                f"{self.paragraphs(entry)}</article>{self.related(site, entry)}")
        return self.layout(site, entry.title, main, head)


class NumericIdCMS(Family):
    """Municipal CMSs with numeric article ids (``/pressemitteilung/123456.html``)."""

    name = "numeric"

    def listing_path(self, n: int) -> str:
        return "/aktuelles/pressemitteilungen.php" if n == 1 else f"/aktuelles/pressemitteilungen.php?seite={n}"

    def article_path(self, entry: Entry) -> str:
        return f"/aktuelles/pressemitteilung/{entry.numeric_id}.html"

    def render_article(self, site: Site, entry: Entry) -> str:
        main = (f'<div class="content"><h1>{escape(entry.title)}</h1>{self.paragraphs(entry)}'
                f'<p class="stand">Stand: {de_date(entry.published)}</p></div>{self.related(site, entry)}')
        return self.layout(site, entry.title, main)


FAMILIES: dict[str, Family] = {f.name: f for f in (Family(), GovernmentSiteBuilder(), NumericIdCMS())}
