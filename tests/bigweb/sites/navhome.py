"""A city whose home page shows no news: the press releases hide behind the navigation.

Traits modelled: the start URL is ``/`` with a welcome text and a ``<nav>`` whose "Rathaus &
Service" menu holds "Pressemitteilungen"; a listing paged by "weiter »" / "nächste Seite" links
without ``rel=next`` (``?seite=N``, 1-based, an empty page beyond the end); bylines with weekday
and time ("Donnerstag, 05.04.2018, 15:04 Uhr"); a few releases with no date anywhere; a
high-contrast variant (``?contrast=1``); a search page and ``Crawl-delay`` in robots.txt.
"""

from __future__ import annotations

from tests.bigweb.markup import COOKIE_BANNER, document, esc, paragraphs
from tests.bigweb.model import Release, Request, Response, Site, chunk, html, not_found
from tests.bigweb.prose import WEEKDAYS

SECTION = "/rathaus-service/presse/"
LIST = SECTION + "pressemitteilungen.php"
PER_PAGE = 12


def byline(release: Release) -> str:
    moment = release.published
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d.%m.%Y}, {moment:%H:%M} Uhr"


class NavHomeSite(Site):
    family = "navhome"
    page_traits = frozenset({"byline-weekday-time", "contrast-variant"})
    code = "NH"
    start_path = "/"
    id_start = 300

    def decorate(self) -> None:
        for release in self.pick(0.03, spare_newest=5):
            release.dated = False

    def canonical(self, release: Release) -> str:
        return f"{SECTION}pressemitteilungen/{release.cms_id}-{release.slug}.php"

    def aliases(self, release: Release) -> list[str]:
        return [f"{self.canonical(release)}?contrast=1"]

    def non_release_paths(self) -> list[str]:
        return ["/", LIST, "/rathaus-service/", "/freizeit/veranstaltungen.php", "/buergerservice/"]

    def robots(self) -> str:
        return "User-agent: *\nCrawl-delay: 1\nDisallow: /suche/\nDisallow: /cgi-bin/\n"

    def frame(self, title: str, main: str, contrast: bool = False, head: str = "") -> str:
        nav = ("<nav class=\"hauptnavigation\" aria-label=\"Hauptmenü\"><ul>"
               "<li><a href=\"/buergerservice/\">Bürgerservice</a></li>"
               "<li class=\"has-sub\"><a href=\"/rathaus-service/\">Rathaus &amp; Service</a><ul class=\"sub\">"
               f"<li><a href=\"{LIST}\">Pressemitteilungen</a></li><li><a href=\"/rathaus-service/\">Verwaltung</a></li></ul></li>"
               "<li><a href=\"/freizeit/veranstaltungen.php\">Freizeit &amp; Kultur</a></li>"
               "<li><a href=\"/suche/\">Suche</a></li></ul></nav>")
        body = (f"{COOKIE_BANNER}<div class=\"kopf\"><a href=\"/\" class=\"logo\">{esc(self.ki)}</a>"
                f"<a class=\"kontrast\" href=\"?contrast=1\">Kontrast</a></div>{nav}"
                f"<div class=\"inhalt\">{main}</div><div class=\"fuss\">Stadt {esc(self.ki)} · Rathaus · Theodor-Heuss-Platz 1</div>")
        return document(title, body, head=head, body_class="kontrast" if contrast else "standard")

    def item(self, release: Release) -> str:
        date = f"<span class=\"datum\">{release.published:%d.%m.%Y}</span> " if release.dated else ""
        return (f"<div class=\"meldung-kurz\">{date}<h3><a href=\"{self.canonical(release)}\">{esc(release.title)}</a></h3>"
                f"<p>{esc(release.prose.teaser)}</p></div>\n")

    def listing(self, request: Request) -> Response:
        number = request.page("seite", 1)
        if number is None or number < 1:
            return not_found()
        pages = chunk(self.newest_first(), PER_PAGE)
        rows = pages[number - 1] if number <= len(pages) else []
        links = ""
        if number > 1:
            links += f"<a href=\"{LIST}?seite={number - 1}\">« zurück</a> "
        if number < len(pages):
            label = "weiter »" if number % 2 else "nächste Seite"
            links += f"<a href=\"{LIST}?seite={number + 1}\">{label}</a>"
        main = (f"<h1>Pressemitteilungen</h1>{''.join(self.item(r) for r in rows) or '<p>Keine weiteren Meldungen.</p>'}"
                f"<div class=\"blaettern\">{links}</div>")
        return html(self.frame("Pressemitteilungen", main), self.newest_moment())

    def detail(self, release: Release, request: Request) -> Response:
        line = f"<p class=\"byline\">{byline(release)}</p>" if release.dated else ""
        main = (f"<div class=\"meldung\"><h1>{esc(release.title)}</h1>{line}{paragraphs(release.prose.paragraphs)}"
                f"<p class=\"zurueck\"><a href=\"{LIST}\">Zur Übersicht</a></p></div>")
        head = f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
        return html(self.frame(release.title, main, request.query.get("contrast") == "1", head),
                    release.published if release.dated else None)

    def respond(self, request: Request) -> Response:
        path = request.path
        contrast = request.query.get("contrast") == "1"
        if path == "/":
            main = (f"<h1>Herzlich willkommen in {esc(self.ki)}</h1><p>Hier finden Sie Informationen rund um "
                    "Verwaltung, Bürgerservice, Freizeit und Kultur.</p><div class=\"kacheln\"><a href=\"/buergerservice/\">"
                    "Termin buchen</a><a href=\"/freizeit/veranstaltungen.php\">Veranstaltungen</a></div>")
            return html(self.frame("Startseite", main, contrast))
        if path == LIST:
            return self.listing(request)
        if path.startswith(SECTION + "pressemitteilungen/") and path.endswith(".php"):
            cms_id = path.rsplit("/", 1)[-1].split("-", 1)[0]
            release = self.by_cms_id(cms_id)
            if release is None or self.canonical(release) != path:
                return not_found()
            return self.detail(release, request)
        pages = {"/rathaus-service/": ("Rathaus & Service", f"<a href=\"{LIST}\">Pressemitteilungen</a>"),
                 "/buergerservice/": ("Bürgerservice", "Termine im Bürgerbüro nach Vereinbarung."),
                 "/freizeit/veranstaltungen.php": ("Veranstaltungen", "Konzert im Stadtpark, Sonntag, 11 Uhr.")}
        if path in pages:
            title, text = pages[path]
            return html(self.frame(title, f"<h1>{esc(title)}</h1><p>{text}</p>", contrast))
        if path == "/suche/":
            return html(self.frame("Suche", "".join(self.item(r) for r in self.newest_first())))
        return not_found()
