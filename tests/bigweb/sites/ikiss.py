"""A district site on an iKISS/Advantic-style CMS: PHP, object ids in the query, Windows-1252.

Traits modelled: ``index.php?ModID=7&object=tx,2839.5&kat=&kuo=2&sub=0&La=1&NavID=…`` listings;
details at ``index.php?object=tx,2839.ID.1&NavID=…&La=1`` and the same article under the home
page's path (``/Startseite/index.php?…``); the body is Windows-1252 bytes, the Content-Type has
no charset and half the pages declare ``<meta charset="utf-8">`` (wrong); the listing shows only
the current year, older releases sit in year archives (``&jahr=2016``); the date is printed only
in the listing, never on the article; a high-contrast variant (``&contrast=1``); no validators,
no robots.txt, no feed, no sitemap.
"""

from __future__ import annotations

from tests.bigweb.markup import document, esc, paragraphs
from tests.bigweb.model import Release, Request, Response, Site, german_date, not_found

PATH = "/Presse/Pressemitteilungen/index.php"
HOME = "/Startseite/index.php"
LIST_QUERY = "ModID=7&object=tx,2839.5&kat=&kuo=2&sub=0&La=1&NavID=2839.12"


class IkissSite(Site):
    family = "ikiss"
    page_traits = frozenset({"date-only-on-listing", "windows-1252", "contrast-variant", "two-paths"})
    code = "IK"
    validators = "none"
    start_path = f"{PATH}?{LIST_QUERY}"
    id_start = 90000

    def canonical(self, release: Release) -> str:
        return f"{PATH}?object=tx,2839.{release.cms_id}.1&NavID=2839.12&La=1"

    def aliases(self, release: Release) -> list[str]:
        return [f"{HOME}?object=tx,2839.{release.cms_id}.1&NavID=2839.1&La=1",
                f"{self.canonical(release)}&contrast=1"]

    def channels(self, release: Release) -> set[str]:
        found = {"archive"}
        if release.published.year == self.current_year():
            found.add("listing")
        if release in self.newest_first()[:5]:
            found.add("home")
        return found

    def traits(self, release: Release) -> set[str]:
        lying = {"wrong-meta-charset"} if release.cms_id % 2 == 0 else set()
        return super().traits(release) | lying

    def current_year(self) -> int:
        return self.releases[-1].published.year

    def years(self) -> list[int]:
        return sorted({r.published.year for r in self.releases}, reverse=True)

    def year_url(self, year: int) -> str:
        return f"{PATH}?{LIST_QUERY}&jahr={year}"

    def non_release_paths(self) -> list[str]:
        return [self.start_path, *(self.year_url(y) for y in self.years()), HOME, "/Rathaus/Kontakt/index.php"]

    def robots(self) -> None:
        return None

    def encoded(self, title: str, main: str, wrong_meta: bool, contrast: bool = False) -> Response:
        meta = ("<meta charset=\"utf-8\">" if wrong_meta
                else "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">")
        body = (f"<div id=\"kopf\"><a href=\"{HOME}\"><img src=\"/media/logo.gif\" alt=\"{esc(self.ki)}\"></a>"
                f"<ul id=\"navi\"><li><a href=\"{HOME}\">Startseite</a></li><li><a href=\"{self.start_path}\">"
                "Pressemitteilungen</a></li><li><a href=\"/Rathaus/Kontakt/index.php\">Kontakt</a></li></ul></div>"
                f"<div id=\"inhalt\">{main}</div><div id=\"fuss\">Kreisverwaltung {esc(self.ki)} · Ä Ö Ü ß</div>")
        text = document(f"{title} - {self.ki}", body, charset_meta=meta, body_class="kontrast" if contrast else "")
        return Response(body=text.encode("cp1252", "replace"), content_type="text/html")

    def listing(self, request: Request) -> Response:
        raw_year = request.query.get("jahr", str(self.current_year()))
        if not raw_year.isdigit():
            return not_found()
        year = int(raw_year)
        rows = [r for r in self.newest_first() if r.published.year == year]
        items = "".join(f"<li class=\"liste-eintrag\"><span class=\"datum\">{german_date(r.published)}</span> "
                        f"<a href=\"{esc(self.canonical(r))}\" class=\"titel\">{esc(r.title)}</a>"
                        f"<p>{esc(r.prose.teaser)}</p></li>\n" for r in rows) or "<li>Keine Einträge</li>"
        archive = " | ".join(f"<a href=\"{esc(self.year_url(y))}\">{y}</a>" for y in self.years())
        main = (f"<h1>Pressemitteilungen {year}</h1><ul class=\"liste\">{items}</ul>"
                f"<p class=\"archiv\">Archiv: {archive}</p>")
        return self.encoded(f"Pressemitteilungen {year}", main, wrong_meta=year % 2 == 0)

    def detail(self, release: Release, request: Request) -> Response:
        contrast = request.query.get("contrast") == "1"
        main = (f"<h1>{esc(release.title)}</h1><div class=\"text\">{paragraphs(release.prose.paragraphs)}</div>"
                f"<p><a href=\"{esc(self.canonical(release))}&amp;contrast=1\">Kontrastansicht</a> · "
                f"<a href=\"{esc(self.start_path)}\">zurück zur Übersicht</a></p>")
        return self.encoded(release.title, main, wrong_meta="wrong-meta-charset" in self.traits(release), contrast=contrast)

    def respond(self, request: Request) -> Response:
        obj = request.query.get("object", "")
        if request.path in (PATH, HOME) and obj.startswith("tx,2839.") and obj.endswith(".1"):
            release = self.by_cms_id(obj.split(".")[1])
            return self.detail(release, request) if release else not_found()
        if request.path == PATH and obj == "tx,2839.5":
            return self.listing(request)
        if request.path in ("/", HOME):
            items = "".join(f"<li><a href=\"{esc(HOME)}?object=tx,2839.{r.cms_id}.1&amp;NavID=2839.1&amp;La=1\">"
                            f"{esc(r.title)}</a></li>" for r in self.newest_first()[:5])
            return self.encoded("Startseite", f"<h1>Willkommen im Kreis {esc(self.ki)}</h1><ul>{items}</ul>", True)
        if request.path == "/Rathaus/Kontakt/index.php":
            return self.encoded("Kontakt", "<h1>Kontakt</h1><p>Bürgerbüro, Öffnungszeiten Mo–Fr.</p>", False)
        return not_found()
