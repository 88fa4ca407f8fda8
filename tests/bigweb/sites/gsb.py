"""A state ministry on the Government Site Builder (GSB), the Java CMS of federal and state portals.

Traits modelled: Tomcat URL rewriting — until the client sends back the ``JSESSIONID`` cookie,
every link in a page carries ``;jsessionid=…`` in its path, and the id is new in every response
(a crawler without cookies sees endless fresh URLs); ``?nn=12345`` navigation parameters on the
listing's links; a pager ``?gtp=12345_list%253D3`` (double-encoded, 1-based, an empty page
beyond the end); "Pressemitteilung Nr. 123/2017 vom 02.08.2017" above the text and a later
"Stand:" below; some releases only as PDF (``?__blob=publicationFile&v=2``, letterhead on every
page, hyphenated line ends), one of them a truncated upload.
"""

from __future__ import annotations

import re
from datetime import timedelta

from tests.bigweb.markup import document, esc, paragraphs
from tests.bigweb.model import (
    TODAY,
    Release,
    Request,
    Response,
    Site,
    chunk,
    german_date,
    html,
    not_found,
    redirect,
    token,
)
from tests.bigweb.pdf import pdf_bytes, wrap_hyphenated

LIST = "/DE/Presse/Pressemitteilungen/pressemitteilungen_node.html"
NN = "nn=12345"
PER_PAGE = 10
LETTERHEAD = ["Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration",
              "des Landes Nordrhein-Westfalen · Pressestelle · Völklinger Straße 4 · 40219 Düsseldorf"]
_INTERNAL_HREF = re.compile(r'href="(/[^"?#;]*)')


class GsbSite(Site):
    family = "gsb"
    cache_control = "no-cache"
    page_traits = frozenset({"press-number-date", "stand-later", "jsessionid"})
    code = "GS"
    start_path = LIST
    id_start = 100

    def decorate(self) -> None:
        pdfs = self.pick(max(0.08, 3 / len(self.releases)), spare_newest=3)
        for release in pdfs:
            release.kind = "pdf"
        pdfs[len(pdfs) // 2].broken = True
        self.responses = 0

    def traits(self, release: Release) -> set[str]:
        found = super().traits(release)
        return found - {"jsessionid", "press-number-date", "stand-later"} if release.kind == "pdf" else found

    def stand(self, release: Release):
        return release.updated or min(release.published + timedelta(days=2), max(TODAY, release.published))

    def canonical(self, release: Release) -> str:
        if release.kind == "pdf":
            return (f"/SharedDocs/Downloads/DE/Presse/{release.published.year}/pm-{release.slug}.pdf"
                    "?__blob=publicationFile&v=2")
        return f"/DE/Presse/Pressemitteilungen/{release.published:%Y/%m}/pm-{release.slug}.html"

    def aliases(self, release: Release) -> list[str]:
        return [] if release.kind == "pdf" else [f"{self.canonical(release)}?{NN}"]

    def non_release_paths(self) -> list[str]:
        return ["/DE/Home/home_node.html", LIST, "/DE/Presse/presse_node.html"]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /SiteGlobals/\nDisallow: /DE/Service/Suche/\n"

    def page_url(self, number: int) -> str:
        return f"{LIST}?gtp=12345_list%253D{number}"

    def frame(self, title: str, main: str, head: str = "") -> str:
        body = ("<div id=\"wrapperOuter\"><div id=\"header\"><a href=\"/DE/Home/home_node.html\" title=\"Zur Startseite\">"
                "<img src=\"/SiteGlobals/Frontend/Images/logo.png\" alt=\"Landeswappen NRW\"></a></div>"
                "<div id=\"navPrimary\"><ul><li><a href=\"/DE/Home/home_node.html\">Startseite</a></li>"
                "<li><a href=\"/DE/Presse/presse_node.html\">Presse</a></li>"
                f"<li class=\"active\"><a href=\"{LIST}\">Pressemitteilungen</a></li></ul></div>"
                f"<div id=\"content\" class=\"main\">{main}</div>"
                "<div id=\"footer\"><a href=\"/DE/Service/Impressum/impressum_node.html\">Impressum</a> "
                "<a href=\"/SiteGlobals/Forms/Suche/suche_formular.html\">Suche</a></div></div>")
        return document(title, body, head=head)

    def session(self, request: Request, page: str, modified=None) -> Response:
        """Tomcat's URL rewriting: links carry a fresh session id unless the cookie came back."""
        self.responses += 1
        response = html(page, modified)
        if request.cookie("JSESSIONID") is None:
            session_id = token(self.slug, "session", self.responses)
            page = _INTERNAL_HREF.sub(lambda m: f'href="{m.group(1)};jsessionid={session_id}', page)
            response = html(page, modified)
            response.headers["Set-Cookie"] = f"JSESSIONID={session_id}; Path=/; HttpOnly"
        return response

    def teaser(self, release: Release) -> str:
        href = self.canonical(release) if release.kind == "pdf" else f"{self.canonical(release)}?{NN}"
        kind = "Pressemitteilung (PDF, 120 KB)" if release.kind == "pdf" else "Pressemitteilung"
        return (f"<div class=\"teaser\"><p class=\"teaserMeta\"><span class=\"docType\">{kind}</span> "
                f"<span class=\"date\">{german_date(release.published)}</span></p>"
                f"<h2><a href=\"{esc(href)}\" class=\"{'download' if release.kind == 'pdf' else 'internal'}\">"
                f"{esc(release.title)}</a></h2><p>{esc(release.prose.teaser)}</p></div>\n")

    def listing(self, request: Request) -> Response:
        match = re.fullmatch(r"12345_list(?:%3D|=)(\d+)", request.query.get("gtp", "12345_list%3D1"))
        if match is None:
            return not_found()
        number = int(match.group(1))
        pages = chunk(self.newest_first(), PER_PAGE)
        rows = pages[number - 1] if 1 <= number <= len(pages) else []
        items = "".join(self.teaser(r) for r in rows) or "<p>Keine Einträge gefunden.</p>"
        nav = "".join(f"<li><a href=\"{esc(self.page_url(n))}\" title=\"Seite {n}\">{n}</a></li>" if n != number
                      else f"<li><strong>{n}</strong></li>" for n in range(1, len(pages) + 1))
        if number < len(pages):
            nav += f"<li class=\"forward\"><a href=\"{esc(self.page_url(number + 1))}\">weiter</a></li>"
        main = (f"<h1>Pressemitteilungen</h1><div class=\"searchResult\">{items}</div>"
                f"<div class=\"navIndex\"><ul>{nav}</ul></div>")
        return self.session(request, self.frame("Pressemitteilungen", main), self.newest_moment())

    def detail(self, release: Release, request: Request) -> Response:
        head = f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
        main = (f"<div class=\"article\"><p class=\"pressNo\">Pressemitteilung Nr. {release.number:03d}/"
                f"{release.published.year} vom {german_date(release.published)}</p>"
                f"<h1 class=\"isFirstInSlot\">{esc(release.title)}</h1>{paragraphs(release.prose.paragraphs)}"
                f"<p class=\"stand\">Stand: {german_date(self.stand(release))}</p></div>")
        return self.session(request, self.frame(release.title, main, head), self.stand(release))

    def pdf(self, release: Release) -> Response:
        text = [f"Pressemitteilung vom {german_date(release.published)}", "", release.title, ""]
        wrapped = [[*wrap_hyphenated(p), ""] for p in release.prose.paragraphs]
        half = max(1, len(wrapped) // 2)  # the page break falls between paragraphs
        pages = [text + sum(wrapped[:half], []), [*sum(wrapped[half:], []), "Pressekontakt: pressestelle@mkjfgfi.nrw.de"]]
        payload = pdf_bytes(LETTERHEAD, pages, truncated=release.broken)
        return Response(body=payload, content_type="application/pdf", modified=release.published)

    def respond(self, request: Request) -> Response:
        path = request.path
        if path == "/":
            return redirect("/DE/Home/home_node.html", 302)
        if path == LIST:
            return self.listing(request)
        if path.startswith("/DE/Presse/Pressemitteilungen/") and path.endswith(".html"):
            slug = path.rsplit("/pm-", 1)[-1].removesuffix(".html")
            release = self.by_slug(slug)
            if release is None or release.kind == "pdf" or self.canonical(release) != path:
                return not_found()
            return self.detail(release, request)
        if path.startswith("/SharedDocs/Downloads/DE/Presse/") and path.endswith(".pdf"):
            release = self.by_slug(path.rsplit("/pm-", 1)[-1].removesuffix(".pdf"))
            if release is None or release.kind != "pdf" or request.query.get("__blob") != "publicationFile":
                return not_found()
            return self.pdf(release)
        if path == "/DE/Home/home_node.html":
            teasers = "".join(self.teaser(r) for r in self.newest_first()[:3])
            return self.session(request, self.frame("Startseite", f"<h1>Willkommen</h1>{teasers}"))
        if path == "/DE/Presse/presse_node.html":
            return self.session(request, self.frame("Presse", f"<h1>Presse</h1><a href=\"{LIST}\">Pressemitteilungen</a>"))
        return not_found()
