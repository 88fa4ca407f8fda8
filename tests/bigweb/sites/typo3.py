"""A TYPO3 city portal with the tx_news extension, as dozens of NRW cities run it.

Traits modelled: a ``?tx_news_pi1[currentPage]=N`` pager in ``ul.f3-widget-paginator`` that
clamps numbers beyond the end to the last page; speaking detail URLs plus the non-speaking
``?tx_news_pi1[news]=ID&cHash=…`` form of the same article (a wrong cHash is a 404, as with
``pageNotFoundOnCHashError``); an RSS feed (``?type=9818``) in ``<head>`` with only the latest 10;
print (``?type=98``) and English fallback (``?L=1``) variants; an XML sitemap that still lists
the few releases taken off the listing; a search page that robots.txt forbids.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.bigweb.markup import FeedItem, document, esc, paragraphs, rss, sitemap_index, urlset
from tests.bigweb.model import (
    Release,
    Request,
    Response,
    Site,
    chunk,
    german_date,
    html,
    not_found,
    token,
    xml,
)

LIST = "/presse/pressemitteilungen/"
DETAIL = LIST + "detail/news/"
PAGE_KEY = "tx_news_pi1[currentPage]"
PER_PAGE = 10
FEED_SIZE = 10


class Typo3Site(Site):
    family = "typo3"
    page_traits = frozenset({"time-datetime", "print-variant", "language-variant", "chash-alias"})
    code = "TY"
    start_path = LIST
    id_start = 2300

    def decorate(self) -> None:
        for release in self.pick(0.03, spare_newest=20):
            release.listed = False

    # -- URLs ---------------------------------------------------------------------------------
    def canonical(self, release: Release) -> str:
        return f"{DETAIL}{release.slug}/"

    def chash(self, release: Release) -> str:
        return token("chash", release.cms_id).lower()

    def technical_url(self, release: Release) -> str:
        query = (f"tx_news_pi1%5Baction%5D=detail&tx_news_pi1%5Bcontroller%5D=News"
                 f"&tx_news_pi1%5Bnews%5D={release.cms_id}&cHash={self.chash(release)}")
        return f"{LIST}detail/?{query}"

    def aliases(self, release: Release) -> list[str]:
        base = self.canonical(release)
        return [self.technical_url(release), base + "?type=98", base + "?L=1"]

    def channels(self, release: Release) -> set[str]:
        found = {"sitemap"}
        listed = self.newest_first()
        if release.listed:
            found.add("listing")
            if release in listed[:FEED_SIZE]:
                found.add("feed")
            if release in listed[:3]:
                found.add("home")
        return found

    def non_release_paths(self) -> list[str]:
        return ["/", "/presse/", LIST, "/presse/pressekontakt/", "/rathaus/oeffnungszeiten/"]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /typo3/\nDisallow: /suche/\n\nSitemap: /sitemap.xml\n"

    def page_url(self, number: int) -> str:
        return f"{LIST}?{quote(PAGE_KEY)}={number}&cHash={token('page', number).lower()}"

    # -- pages --------------------------------------------------------------------------------
    def frame(self, title: str, main: str, head: str = "", print_view: bool = False) -> str:
        nav = ("<header class=\"page-header\"><a class=\"logo\" href=\"/\">Stadt " + esc(self.ki) + "</a>"
               "<nav class=\"main-navigation\"><ul><li><a href=\"/\">Startseite</a></li>"
               "<li><a href=\"/rathaus/oeffnungszeiten/\">Rathaus</a></li>"
               "<li class=\"active\"><a href=\"/presse/\">Presse</a><ul>"
               f"<li><a href=\"{LIST}\">Pressemitteilungen</a></li>"
               "<li><a href=\"/presse/pressekontakt/\">Pressekontakt</a></li></ul></li>"
               "<li><a href=\"/suche/\">Suche</a></li></ul></nav></header>")
        footer = ("<footer class=\"page-footer\"><p>© Stadt " + esc(self.ki) + " · <a href=\"/impressum/\">"
                  "Impressum</a> · <a href=\"/datenschutz/\">Datenschutz</a></p></footer>")
        feed = (f"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Pressemitteilungen\" "
                f"href=\"{LIST}?type=9818\">\n")
        body = main if print_view else f"{nav}<main id=\"content\">{main}</main>{footer}"
        return document(f"{title} | Stadt {self.ki}", body, head=feed + head,
                        body_class="print" if print_view else "")

    def list_item(self, release: Release) -> str:
        return (f"<div class=\"article articletype-0\" itemscope itemtype=\"http://schema.org/Article\">"
                f"<div class=\"header\"><h3><a title=\"{esc(release.title)}\" href=\"{self.canonical(release)}\">"
                f"<span itemprop=\"headline\">{esc(release.title)}</span></a></h3></div>"
                f"<div class=\"teaser-text\"><div itemprop=\"description\"><p>{esc(release.prose.teaser)}</p></div>"
                f"<a class=\"more\" title=\"{esc(release.title)}\" href=\"{esc(self.technical_url(release))}\">Weiterlesen</a></div>"
                f"<div class=\"footer\"><p><span class=\"news-list-date\"><time datetime=\"{release.day.isoformat()}\">"
                f"{german_date(release.published)}</time></span></p></div></div>\n")

    def listing(self, request: Request) -> Response:
        number = request.page(PAGE_KEY, 1)
        if number is None:
            return not_found()
        pages = chunk(self.newest_first(), PER_PAGE)
        number = min(max(number, 1), len(pages))  # tx_news clamps
        items = "".join(self.list_item(r) for r in pages[number - 1])
        main = (f"<h1>Pressemitteilungen</h1><div class=\"news\"><div class=\"news-list-view\">{items}</div>"
                f"{self.pager(number, len(pages))}</div>")
        return html(self.frame("Pressemitteilungen", main), modified=self.newest_moment())

    def pager(self, current: int, last: int) -> str:
        cells = []
        if current > 1:
            cells.append(f"<li class=\"previous\"><a href=\"{esc(self.page_url(current - 1))}\">zurück</a></li>")
        window = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        previous = 0
        for n in window:
            if n - previous > 1:
                cells.append("<li>…</li>")
            cells.append(f"<li class=\"current\">{n}</li>" if n == current
                         else f"<li><a href=\"{esc(self.page_url(n))}\">{n}</a></li>")
            previous = n
        if current < last:
            cells.append(f"<li class=\"next\"><a href=\"{esc(self.page_url(current + 1))}\">vor</a></li>")
        return "<div class=\"page-navigation\"><ul class=\"f3-widget-paginator\">" + "".join(cells) + "</ul></div>"

    def detail(self, release: Release, request: Request) -> Response:
        print_view = request.query.get("type") == "98"
        english = request.query.get("L") == "1"
        head = (f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
                f"<link rel=\"alternate\" hreflang=\"en\" href=\"{self.canonical(release)}?L=1\">\n"
                f"<meta property=\"og:title\" content=\"{esc(release.title)}\">\n")
        back = "Back to list" if english else "Zurück zur Übersicht"
        main = (f"<div class=\"news news-single\"><div class=\"article\" itemscope itemtype=\"http://schema.org/Article\">"
                f"<div class=\"header\"><h1 itemprop=\"headline\">{esc(release.title)}</h1></div>"
                f"<div class=\"footer\"><p><span class=\"news-list-date\"><time itemprop=\"datePublished\" "
                f"datetime=\"{release.day.isoformat()}\">{german_date(release.published)}</time></span></p></div>"
                f"<div class=\"news-text-wrap\" itemprop=\"articleBody\">{paragraphs(release.prose.paragraphs)}</div>"
                f"<div class=\"news-related-wrap\"><a href=\"{self.canonical(release)}?type=98\" rel=\"nofollow\">Drucken</a> · "
                f"<a href=\"{self.canonical(release)}?L=1\" hreflang=\"en\">English</a></div>"
                f"<div class=\"news-backlink-wrap\"><a href=\"{LIST}\">{back}</a></div></div></div>")
        return html(self.frame(release.title, main, head, print_view), modified=release.updated or release.published)

    def feed(self, request: Request) -> Response:
        items = [FeedItem(r.title, request.base + self.canonical(r), r.published, r.prose.teaser,
                          f"news-{r.cms_id}") for r in self.newest_first()[:FEED_SIZE]]
        text = rss(f"Stadt {self.ki}: Pressemitteilungen", request.base + LIST, request.base + LIST + "?type=9818", items)
        return xml(text, self.newest_moment(), "application/rss+xml; charset=utf-8")

    def sitemap(self, request: Request) -> Response:
        which = request.query.get("sitemap")
        if which is None:
            return xml(sitemap_index([(request.base + "/sitemap.xml?sitemap=pages&type=1533906435", None),
                                      (request.base + "/sitemap.xml?sitemap=news&type=1533906435", self.newest_moment())]))
        if which == "pages":
            return xml(urlset([(request.base + p, None) for p in self.non_release_paths()]))
        if which == "news":
            return xml(urlset([(request.base + self.canonical(r), r.updated or r.published)
                               for r in self.newest_first(listed_only=False)]), self.newest_moment())
        return not_found()

    def simple_page(self, title: str, text: str) -> Response:
        return html(self.frame(title, f"<h1>{esc(title)}</h1><p>{esc(text)}</p>"))

    def respond(self, request: Request) -> Response:
        path = request.path
        if path == LIST:
            return self.feed(request) if request.query.get("type") == "9818" else self.listing(request)
        if path.startswith(DETAIL):
            release = self.by_slug(path[len(DETAIL):].strip("/"))
            return self.detail(release, request) if release else not_found()
        if path == LIST + "detail/":
            release = self.by_cms_id(request.query.get("tx_news_pi1[news]", ""))
            if release is None or request.query.get("cHash") != self.chash(release):
                return not_found()
            return self.detail(release, request)
        if path == "/sitemap.xml":
            return self.sitemap(request)
        if path == "/":
            teasers = "".join(self.list_item(r) for r in self.newest_first()[:3])
            return html(self.frame("Startseite", f"<h1>Willkommen in {esc(self.ki)}</h1><section class=\"news-teaser\">"
                                   f"<h2>Aktuelle Meldungen</h2>{teasers}<a href=\"{LIST}\">Alle Pressemitteilungen</a></section>"),
                        modified=self.newest_moment())
        if path == "/presse/":
            return html(self.frame("Presse", f"<h1>Presse</h1><ul><li><a href=\"{LIST}\">Pressemitteilungen</a></li>"
                                   "<li><a href=\"/presse/pressekontakt/\">Pressekontakt</a></li></ul>"))
        if path == "/presse/pressekontakt/":
            return self.simple_page("Pressekontakt", "Presse- und Öffentlichkeitsarbeit, Telefon 0521 51-0.")
        if path == "/rathaus/oeffnungszeiten/":
            return self.simple_page("Öffnungszeiten", "Das Bürgerbüro ist montags bis freitags geöffnet.")
        if path == "/suche/":
            hits = "".join(self.list_item(r) for r in self.newest_first(listed_only=False))
            return html(self.frame("Suche", f"<h1>Suchergebnisse</h1>{hits}"))
        return not_found()
