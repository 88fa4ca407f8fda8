"""A shared press platform in the style of presse-service.de, hosting many press offices.

Traits modelled: ASP.NET pages ``meldungen.aspx?ps_id=1285`` (listing, pager ``&p=N`` 1-based,
an empty page beyond the end) and ``meldungen.aspx?ps_id=1285&pm_id=N`` (detail) with relative
links; a session id ``sid=`` in every link that changes with every response; dates as
"Datum 02.08.2017"; a print version ``druckversion.aspx?pm_id=N``; another press office on the
same host (``ps_id=1290``) whose releases are not this source's; only ``Last-Modified``.
"""

from __future__ import annotations

from datetime import timedelta

from tests.bigweb.markup import document, esc, paragraphs
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
)
from tests.bigweb.prose import write_release

OFFICE = "1285"
OTHER_OFFICE = "1290"
PER_PAGE = 15


class PresseServiceSite(Site):
    family = "presseservice"
    page_traits = frozenset({"datum-prefix", "session-sid", "print-variant"})
    code = "PS"
    validators = "last-modified"
    start_path = f"/meldungen.aspx?ps_id={OFFICE}"
    id_start = 610000

    def decorate(self) -> None:
        self.responses = 0
        start = self.releases[-1].published - timedelta(days=400)
        self.others = [(700000 + i, write_release(self.rng, "PSW", i + 1, start.year), start + timedelta(days=20 * i))
                       for i in range(15)]

    def canonical(self, release: Release) -> str:
        return f"/meldungen.aspx?ps_id={OFFICE}&pm_id={release.cms_id}"

    def aliases(self, release: Release) -> list[str]:
        return [f"/druckversion.aspx?pm_id={release.cms_id}"]

    def non_release_paths(self) -> list[str]:
        others = [f"/meldungen.aspx?ps_id={OTHER_OFFICE}&pm_id={n}" for n, _, _ in self.others]
        return [self.start_path, f"/meldungen.aspx?ps_id={OTHER_OFFICE}", *others]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /suche.aspx\nDisallow: /admin/\n"

    def page(self, title: str, main: str, sid: str) -> str:
        body = (f"<form id=\"form1\" method=\"post\" action=\"meldungen.aspx?ps_id={OFFICE}&amp;sid={sid}\">"
                "<div id=\"kopf\"><span class=\"plattform\">presse-service · Pressemitteilungen aus der Region</span></div>"
                f"<div id=\"inhalt\">{main}</div><div id=\"fuss\">Weitere Pressestellen: "
                f"<a href=\"meldungen.aspx?ps_id={OTHER_OFFICE}&amp;sid={sid}\">Stadtwerke</a> · "
                f"<a href=\"meldungen.aspx?ps_id={OFFICE}&amp;sid={sid}\">Kreis {esc(self.ki)}</a></div></form>")
        return document(title, body)

    def sid(self) -> str:
        self.responses += 1
        return token(self.slug, "sid", self.responses, length=24).lower()

    def listing(self, request: Request, office: str) -> Response:
        number = request.page("p", 1)
        if number is None:
            return not_found()
        sid = self.sid()
        if office == OFFICE:
            rows = [(r.cms_id, r.title, r.published, r.prose.teaser) for r in self.newest_first()]
            modified = self.newest_moment()
        else:
            rows = [(n, p.title, when, p.teaser) for n, p, when in reversed(self.others)]
            modified = self.others[-1][2]
        pages = chunk(rows, PER_PAGE)
        shown = pages[number - 1] if 1 <= number <= len(pages) else []
        items = "".join(f"<tr><td class=\"datum\">Datum {german_date(when)}</td><td><a href=\"meldungen.aspx?ps_id={office}"
                        f"&amp;pm_id={n}&amp;sid={sid}\">{esc(title)}</a><br>{esc(teaser)}</td></tr>\n"
                        for n, title, when, teaser in shown) or "<tr><td>Keine Meldungen gefunden.</td></tr>"
        pager = ""
        if number > 1:
            pager += f"<a href=\"meldungen.aspx?ps_id={office}&amp;p={number - 1}&amp;sid={sid}\">«</a> "
        pager += f"Seite {number} von {len(pages)} "
        if number < len(pages):
            pager += f"<a href=\"meldungen.aspx?ps_id={office}&amp;p={number + 1}&amp;sid={sid}\">»</a>"
        main = f"<h1>Pressemitteilungen</h1><table class=\"meldungen\">{items}</table><div class=\"pager\">{pager}</div>"
        return html(self.page("Pressemitteilungen", main, sid), modified)

    def detail(self, cms_id: str, office: str, print_view: bool = False) -> Response:
        if office == OFFICE:
            release = self.by_cms_id(cms_id)
            if release is None:
                return not_found()
            title, when, texts = release.title, release.published, release.prose.paragraphs
        else:
            found = [(p, w) for n, p, w in self.others if str(n) == cms_id]
            if not found:
                return not_found()
            title, when, texts = found[0][0].title, found[0][1], found[0][0].paragraphs
        sid = self.sid()
        main = (f"<div class=\"meldung\"><h1>{esc(title)}</h1><p class=\"datum\">Datum {german_date(when)}</p>"
                f"{paragraphs(texts)}<p><a href=\"druckversion.aspx?pm_id={cms_id}\" target=\"_blank\">Druckversion</a> · "
                f"<a href=\"meldungen.aspx?ps_id={office}&amp;sid={sid}\">zurück</a></p></div>")
        return html(document(title, main) if print_view else self.page(title, main, sid), when)

    def respond(self, request: Request) -> Response:
        office = request.query.get("ps_id")
        if request.path == "/meldungen.aspx" and office in (OFFICE, OTHER_OFFICE):
            if "pm_id" in request.query:
                return self.detail(request.query["pm_id"], office)
            return self.listing(request, office)
        if request.path == "/druckversion.aspx":
            cms_id = request.query.get("pm_id", "")
            office = OFFICE if self.by_cms_id(cms_id) else OTHER_OFFICE
            return self.detail(cms_id, office, print_view=True)
        if request.path == "/":
            return Response(status=302, headers={"Location": self.start_path})
        return not_found()
