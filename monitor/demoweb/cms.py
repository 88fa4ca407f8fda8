"""More CMS families for the discovery test web: TYPO3 (tx_news), Drupal and WordPress.

Each imitates the default markup and URL scheme of the real system, because that is what
discovery meets on municipal sites: tx_news' ``div.article`` items and ``f3-widget-paginator``
with ``tx_news_pi1[currentPage]``, Drupal views rows, ``/node/123`` and a ``?page=1`` pager
without ``rel=next``, WordPress ``/2024/05/slug/`` posts, ``/page/2/`` and ``/feed/``.
"""

from __future__ import annotations

import hashlib
from html import escape
from xml.sax.saxutils import escape as xml_escape

from monitor.demoweb.families import NAV_ITEMS, Family, de_date
from monitor.demoweb.site import Entry, Page, Site

MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember"]


def long_date(entry: Entry) -> str:
    d = entry.published
    return f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}"


def chash(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def side_menu() -> str:
    """An in-content menu of KI pages (not inside <nav>): discovery must still skip it."""
    items = "".join(f'<li><a href="{href}">{escape(label)} – Angebote und Ansprechpersonen</a></li>'
                    for label, href in NAV_ITEMS)
    return f'<div class="frame frame-default"><h2>Integration in unserer Stadt</h2><ul class="menu-section">{items}</ul></div>'


def teaser(entry: Entry) -> str:
    return escape(entry.paragraphs[0][:160]) if entry.paragraphs else ""


class Typo3News(Family):
    """TYPO3 with the news extension; ``speaking`` URLs (route enhancer) or raw tx_news ones."""

    name = "typo3"
    feed_path = "/aktuelles/pressemitteilungen/rss.xml"

    def __init__(self, speaking: bool = False) -> None:
        self.speaking = speaking

    def listing_path(self, n: int) -> str:
        base = "/aktuelles/pressemitteilungen/"
        return base if n == 1 else f"{base}?tx_news_pi1%5BcurrentPage%5D={n}&cHash={chash(str(n))}"

    def article_path(self, entry: Entry) -> str:
        if entry.pdf is not None:
            return f"/fileadmin/user_upload/presse/{entry.slug}.pdf"
        if self.speaking:
            return f"/aktuelles/pressemitteilungen/detail/{entry.slug}"
        query = (f"tx_news_pi1%5Baction%5D=detail&tx_news_pi1%5Bcontroller%5D=News"
                 f"&tx_news_pi1%5Bnews%5D={entry.numeric_id}")
        return f"/aktuelles/pressemitteilungen/detail?{query}&cHash={chash(query)}"

    def head_extra(self, site: Site) -> str:
        return '<meta name="generator" content="TYPO3 CMS">' + super().head_extra(site)

    def list_item(self, e: Entry) -> str:
        href = self.article_path(e)
        suffix = " (PDF, 180 KB)" if e.pdf is not None else ""
        return (f'<div class="article articletype-0" itemscope="itemscope" itemtype="http://schema.org/Article">'
                f'<div class="header"><h3><a title="{escape(e.title)}" href="{href}">'
                f'<span itemprop="headline">{escape(e.title)}{suffix}</span></a></h3></div>'
                f'<div class="footer"><p><span class="news-list-date"><time itemprop="datePublished" '
                f'datetime="{e.published.isoformat()}">{de_date(e.published)}</time></span>'
                f'<span class="news-list-category">Integration</span></p></div>'
                f'<div class="teaser-text"><p>{teaser(e)}</p>'
                f'<a class="more" title="{escape(e.title)}" href="{href}">Weiterlesen</a></div></div>')

    PAGER_PREV = '<li class="previous"><a href="{href}">zurück</a></li>'
    PAGER_LINK = '<li><a href="{href}">{i}</a></li>'
    PAGER_CURRENT = '<li class="current">{i}</li>'
    PAGER_NEXT = '<li class="next"><a href="{href}">weiter</a></li>'
    PAGER_WRAP = '<ul class="f3-widget-paginator">{}</ul>'
    PAGER_SEP = ""

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        items = "".join(self.list_item(e) for e in entries)
        main = (f'<h1>Pressemitteilungen</h1><div class="news"><div class="news-list-view">{items}</div>'
                f"{self.pager(site, n, pages)}</div>{side_menu()}")
        return self.layout(site, "Pressemitteilungen", main)

    def render_article(self, site: Site, entry: Entry) -> str:
        main = (f'<div class="news news-single"><div class="article" itemscope="itemscope">'
                f'<div class="header"><h1 itemprop="headline">{escape(entry.title)}</h1></div>'
                f'<div class="footer"><p><span class="news-list-date"><time itemprop="datePublished" '
                f'datetime="{entry.published.isoformat()}">{de_date(entry.published)}</time></span></p></div>'
                f'<div class="news-text-wrap" itemprop="articleBody">{self.paragraphs(entry)}</div>'
                f'<div class="news-backlink-wrap"><a href="{self.listing_path(1)}">Zurück</a></div></div></div>'
                f"{self.related(site, entry)}")
        return self.layout(site, entry.title, main)

    def extra_pages(self, site: Site) -> dict[str, Page]:
        """The seo extension's sitemap index at /sitemap.xml: pages and a news sitemap."""
        if not site.sitemap:
            return {}
        newest = max(e.modified for e in site.entries)
        base = site.base_url
        pages = "".join(f"<url><loc>{base}{href}</loc></url>" for _, href in NAV_ITEMS)
        pages += f"<url><loc>{base}/</loc></url><url><loc>{base}{self.listing_path(1)}</loc></url>"
        news = "".join(
            f"<url><loc>{xml_escape(site.article_url(e))}</loc><news:news><news:publication>"
            f"<news:name>{xml_escape(site.name)}</news:name><news:language>de</news:language></news:publication>"
            f"<news:publication_date>{e.published.isoformat()}T10:00:00+01:00</news:publication_date>"
            f"<news:title>{xml_escape(e.title)}</news:title></news:news></url>"
            for e in site.entries)
        index = "".join(f"<sitemap><loc>{base}/sitemap.xml?sitemap={k}&amp;type=1533906435&amp;cHash={chash(k)}</loc>"
                        f"</sitemap>" for k in ("pages", "news"))
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        news_ns = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
        out = {
            "/sitemap.xml": f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {ns}>{index}</sitemapindex>',
            f"/sitemap.xml?sitemap=pages&type=1533906435&cHash={chash('pages')}":
                f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{pages}</urlset>',
            f"/sitemap.xml?sitemap=news&type=1533906435&cHash={chash('news')}":
                f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns} {news_ns}>{news}</urlset>',
        }
        return {path: Page(xml.encode(), "application/xml; charset=utf-8", newest) for path, xml in out.items()}


class Drupal(Family):
    """Drupal: a view of press releases at /presse, nodes at /node/123, a 0-based ?page= pager."""

    name = "drupal"
    feed_path = "/rss.xml"

    def listing_path(self, n: int) -> str:
        return "/presse" if n == 1 else f"/presse?page={n - 1}"

    def article_path(self, entry: Entry) -> str:
        if entry.pdf is not None:
            return f"/sites/default/files/presse/{entry.slug}.pdf"
        return f"/node/{entry.numeric_id}"

    def head_extra(self, site: Site) -> str:
        return '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">' + super().head_extra(site)

    def list_item(self, e: Entry) -> str:
        return (f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
                f'<a href="{self.article_path(e)}" hreflang="de">{escape(e.title)}</a></span></div>'
                f'<div class="views-field views-field-created"><span class="field-content">'
                f'{de_date(e.published)}</span></div>'
                f'<div class="views-field views-field-body"><p>{teaser(e)}</p></div></div>')

    def pager(self, site: Site, n: int, pages: int) -> str:
        parts = []
        if n > 1:
            parts.append(f'<li class="pager-first"><a title="Zur ersten Seite" href="{self.listing_path(1)}">« erste Seite</a></li>')
        parts += [f'<li class="pager-item"><a title="Gehe zu Seite {i}" href="{self.listing_path(i)}">{i}</a></li>'
                  if i != n else f'<li class="pager-current">{i}</li>' for i in range(1, pages + 1)]
        if n < pages:
            parts.append(f'<li class="pager-next"><a title="Zur nächsten Seite" href="{self.listing_path(n + 1)}">nächste ›</a></li>')
            parts.append(f'<li class="pager-last"><a title="Zur letzten Seite" href="{self.listing_path(pages)}">letzte »</a></li>')
        return f'<div class="item-list"><ul class="pager">{"".join(parts)}</ul></div>'

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        items = "".join(self.list_item(e) for e in entries)
        main = (f'<h1 class="page-title">Pressemitteilungen</h1>{side_menu()}<div class="view view-presse">'
                f'<div class="view-content">{items}</div>{self.pager(site, n, pages)}</div>')
        return self.layout(site, "Pressemitteilungen", main)

    def render_article(self, site: Site, entry: Entry) -> str:
        main = (f'<article class="node node--type-article"><h1 class="page-title">{escape(entry.title)}</h1>'
                f'<div class="field field--name-field-datum">Meldungsdatum: {de_date(entry.published)}</div>'
                f'<div class="field field--name-body">{self.paragraphs(entry)}</div></article>'
                f"{self.related(site, entry)}")
        return self.layout(site, entry.title, main)


class WordPress(Family):
    """WordPress: dated permalinks, /page/N/ archives, /feed/, and the core /wp-sitemap.xml."""

    name = "wordpress"
    feed_path = "/feed/"

    def listing_path(self, n: int) -> str:
        return "/presse/" if n == 1 else f"/presse/page/{n}/"

    def article_path(self, entry: Entry) -> str:
        d = entry.published
        if entry.pdf is not None:
            return f"/wp-content/uploads/{d.year}/{d.month:02d}/{entry.slug}.pdf"
        return f"/{d.year}/{d.month:02d}/{entry.slug}/"

    def head_extra(self, site: Site) -> str:
        head = '<meta name="generator" content="WordPress 6.5.3">'
        if site.feed and getattr(site, "feed_link", True):
            head += (f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; Feed" '
                     f'href="{self.feed_path}"><link rel="alternate" type="application/rss+xml" '
                     f'title="{escape(site.name)} &raquo; Kommentar-Feed" href="/comments/feed/">')
        return head

    def entry_meta(self, e: Entry) -> str:
        return (f'<div class="entry-meta"><span class="posted-on"><a href="{self.article_path(e)}" rel="bookmark">'
                f'<time class="entry-date published" datetime="{e.published.isoformat()}T10:00:00+02:00">'
                f"{long_date(e)}</time></a></span> <span class=\"cat-links\">"
                f'<a href="/category/presse/" rel="category tag">Presse</a></span></div>')

    def list_item(self, e: Entry) -> str:
        pid = e.numeric_id
        return (f'<article id="post-{pid}" class="post-{pid} post type-post status-publish format-standard hentry '
                f'category-presse"><header class="entry-header"><h2 class="entry-title">'
                f'<a href="{self.article_path(e)}" rel="bookmark">{escape(e.title)}</a></h2>{self.entry_meta(e)}'
                f'</header><div class="entry-summary"><p>{teaser(e)} […]</p></div></article>')

    PAGER_PREV = '<a class="prev page-numbers" href="{href}">« Vorherige Seite</a>'
    PAGER_LINK = '<a class="page-numbers" href="{href}">{i}</a>'
    PAGER_CURRENT = '<span aria-current="page" class="page-numbers current">{i}</span>'
    PAGER_NEXT = '<a class="next page-numbers" href="{href}">Nächste Seite »</a>'
    PAGER_WRAP = '<nav class="navigation pagination" aria-label="Beiträge"><div class="nav-links">{}</div></nav>'
    PAGER_SEP = ""

    def render_listing(self, site: Site, entries: list[Entry], n: int, pages: int) -> str:
        items = "".join(self.list_item(e) for e in entries)
        main = (f'<header class="page-header"><h1 class="page-title">Kategorie: Presse</h1></header>'
                f"{items}{self.pager(site, n, pages)}{side_menu()}")
        return self.layout(site, "Presse", main)

    def render_article(self, site: Site, entry: Entry) -> str:
        main = (f'<article class="post type-post status-publish"><header class="entry-header">'
                f'<h1 class="entry-title">{escape(entry.title)}</h1>{self.entry_meta(entry)}</header>'
                f'<div class="entry-content">{self.paragraphs(entry)}</div><footer class="entry-footer">'
                f'Veröffentlicht in <a href="/category/presse/">Presse</a></footer></article>'
                f"{self.related(site, entry)}")
        return self.layout(site, entry.title, main)

    def extra_pages(self, site: Site) -> dict[str, Page]:
        """WordPress core's sitemap index: posts, pages (the KI info pages), categories, users."""
        if not site.sitemap:
            return {}
        newest = max(e.modified for e in site.entries)
        base = site.base_url
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

        def urlset(locs: list[str], lastmods: list[str] | None = None) -> str:
            mods = lastmods or [""] * len(locs)
            urls = "".join(f"<url><loc>{xml_escape(u)}</loc>" + (f"<lastmod>{m}</lastmod>" if m else "") + "</url>"
                           for u, m in zip(locs, mods, strict=True))
            return f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{urls}</urlset>'

        posts = [e for e in site.entries if e.pdf is None]
        children = {
            "/wp-sitemap-posts-post-1.xml": urlset([site.article_url(e) for e in posts],
                                                   [e.modified.isoformat() for e in posts]),
            "/wp-sitemap-posts-page-1.xml": urlset([f"{base}/", f"{base}/aktuelles/",
                                                    *(f"{base}{h}" for _, h in NAV_ITEMS)]),
            "/wp-sitemap-taxonomies-category-1.xml": urlset([f"{base}/category/presse/"]),
            "/wp-sitemap-users-1.xml": urlset([f"{base}/author/redaktion/"]),
        }
        index = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in children)
        out = {"/wp-sitemap.xml": f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {ns}>{index}</sitemapindex>',
               **children}
        return {path: Page(xml.encode(), "application/xml; charset=UTF-8", newest) for path, xml in out.items()}


CMS_FAMILIES: dict[str, Family] = {"typo3": Typo3News(), "typo3-speaking": Typo3News(speaking=True),
                                   "drupal": Drupal(), "wordpress": WordPress()}
