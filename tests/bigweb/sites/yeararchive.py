"""A city portal whose press page shows only the newest releases; the rest live in year archives.

Traits modelled: ``/aktuelles/pressemitteilungen/`` with the newest 15 and nothing else; an
archive ``/archiv/`` → years ``/archiv/2016/`` (month links only) → months ``/archiv/2016/03/``
(the releases); unknown months are 404; dates printed only in words ("Dienstag, 2. Oktober
2018"); an English fallback under ``/en/…``; no feed, no sitemap.
"""

from __future__ import annotations

from tests.bigweb.markup import document, esc, paragraphs
from tests.bigweb.model import Release, Request, Response, Site, html, not_found
from tests.bigweb.prose import MONTHS, date_in_words

LIST = "/aktuelles/pressemitteilungen/"
ARCHIVE = LIST + "archiv/"
NEWEST = 15


class YearArchiveSite(Site):
    family = "yeararchive"
    page_traits = frozenset({"date-in-words", "language-variant"})
    code = "YA"
    start_path = LIST
    id_start = 5000

    def canonical(self, release: Release) -> str:
        return f"{LIST}{release.slug}-{release.cms_id}.html"

    def aliases(self, release: Release) -> list[str]:
        return ["/en" + self.canonical(release)]

    def channels(self, release: Release) -> set[str]:
        return {"archive", "listing"} if release in self.newest_first()[:NEWEST] else {"archive"}

    def months(self) -> dict[int, list[int]]:
        found: dict[int, set[int]] = {}
        for r in self.releases:
            found.setdefault(r.published.year, set()).add(r.published.month)
        return {y: sorted(m, reverse=True) for y, m in sorted(found.items(), reverse=True)}

    def non_release_paths(self) -> list[str]:
        years = [f"{ARCHIVE}{y}/" for y in self.months()]
        months = [f"{ARCHIVE}{y}/{m:02d}/" for y, ms in self.months().items() for m in ms]
        return ["/", LIST, ARCHIVE, *years, *months]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /suche/\nDisallow: /intern/\n"

    def frame(self, title: str, main: str, head: str = "", lang: str = "de") -> str:
        body = ("<header id=\"top\"><a href=\"/\" class=\"brand\">Stadt " + esc(self.ki) + "</a><nav class=\"nav-main\">"
                f"<a href=\"/\">Start</a> <a href=\"{LIST}\">Pressemitteilungen</a> <a href=\"{ARCHIVE}\">Archiv</a> "
                "<a href=\"/suche/\">Suche</a></nav></header>"
                f"<div class=\"container\"><main>{main}</main></div><footer>Stadt {esc(self.ki)} · Presseamt</footer>")
        return document(title, body, head=head, lang=lang)

    def item(self, release: Release) -> str:
        return (f"<li class=\"press-item\"><a href=\"{self.canonical(release)}\">{esc(release.title)}</a>"
                f"<span class=\"press-date\">{date_in_words(release.published)}</span></li>\n")

    def detail(self, release: Release, request: Request, english: bool) -> Response:
        head = f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
        other = (f"<a href=\"{self.canonical(release)}\" hreflang=\"de\">Deutsch</a>" if english
                 else f"<a href=\"/en{self.canonical(release)}\" hreflang=\"en\">English</a>")
        main = (f"<article class=\"press-release\"><h1>{esc(release.title)}</h1>"
                f"<p class=\"meta\">{date_in_words(release.published)}</p>{paragraphs(release.prose.paragraphs)}"
                f"<p class=\"lang\">{other}</p></article>")
        return html(self.frame(release.title, main, head, "en" if english else "de"),
                    modified=release.updated or release.published)

    def archive(self, parts: list[str]) -> Response:
        months = self.months()
        if not parts:
            links = "".join(f"<li><a href=\"{ARCHIVE}{y}/\">Pressemitteilungen {y}</a></li>" for y in months)
            return html(self.frame("Archiv", f"<h1>Pressearchiv</h1><ul>{links}</ul>"), self.newest_moment())
        if not parts[0].isdigit() or int(parts[0]) not in months:
            return not_found()
        year = int(parts[0])
        if len(parts) == 1:
            links = "".join(f"<li><a href=\"{ARCHIVE}{year}/{m:02d}/\">{MONTHS[m - 1]} {year}</a></li>" for m in months[year])
            return html(self.frame(f"Archiv {year}", f"<h1>Pressemitteilungen {year}</h1><ul class=\"months\">{links}</ul>"),
                        self.newest_moment())
        if len(parts) == 2 and parts[1].isdigit() and int(parts[1]) in months[year]:
            month = int(parts[1])
            rows = [r for r in self.newest_first(listed_only=False) if (r.published.year, r.published.month) == (year, month)]
            return html(self.frame(f"{MONTHS[month - 1]} {year}", f"<h1>Pressemitteilungen {MONTHS[month - 1]} {year}</h1>"
                                   f"<ul class=\"press-list\">{''.join(self.item(r) for r in rows)}</ul>"
                                   f"<a href=\"{ARCHIVE}{year}/\">zurück zu {year}</a>"), self.newest_moment())
        return not_found()

    def respond(self, request: Request) -> Response:
        path = request.path
        english = path.startswith("/en/")
        if english:
            path = path[3:]
        if path == LIST and not english:
            rows = "".join(self.item(r) for r in self.newest_first()[:NEWEST])
            main = (f"<h1>Pressemitteilungen</h1><ul class=\"press-list\">{rows}</ul>"
                    f"<p>Ältere Pressemitteilungen finden Sie im <a href=\"{ARCHIVE}\">Archiv</a>.</p>")
            return html(self.frame("Pressemitteilungen", main), self.newest_moment())
        if path.startswith(ARCHIVE) and not english:
            return self.archive([p for p in path[len(ARCHIVE):].split("/") if p])
        if path.startswith(LIST) and path.endswith(".html"):
            cms_id = path.rsplit("-", 1)[-1].removesuffix(".html")
            release = self.by_cms_id(cms_id)
            if release is None or self.canonical(release) != path:
                return not_found()
            return self.detail(release, request, english)
        if path == "/" and not english:
            return html(self.frame("Startseite", f"<h1>Stadt {esc(self.ki)}</h1><p><a href=\"{LIST}\">Pressemitteilungen</a></p>"))
        return not_found()
