"""A district site whose press list is rendered by JavaScript: only the sitemaps hold the archive.

Traits modelled: ``/presse/`` ships an empty ``<div>`` and a script that loads the newest 20
from a JSON endpoint; robots.txt names ``sitemap.xml.gz`` (a gzipped index) and a Google news
sitemap (latest 20, ``news:publication_date`` with offset); the index points to yearly
sitemaps ``sitemap-2015.xml`` … whose ``lastmod`` is the last edit, not the publication; article
pages carry ``article:published_time`` and a later "Aktualisiert" date.
"""

from __future__ import annotations

import gzip
import json

from tests.bigweb.markup import document, esc, news_sitemap, paragraphs, sitemap_index, urlset
from tests.bigweb.model import Release, Request, Response, Site, german_date, html, not_found, xml

NEWS_SIZE = 20
SCRIPT = ("document.addEventListener('DOMContentLoaded',function(){fetch('/api/presse.json').then(function(r)"
          "{return r.json()}).then(function(items){var box=document.getElementById('presse-liste');"
          "items.forEach(function(i){var a=document.createElement('a');a.href=i.url;a.textContent=i.title;"
          "box.appendChild(a)})})});\n")


class SitemapOnlySite(Site):
    family = "sitemaponly"
    page_traits = frozenset({"meta-published-time"})
    prints_updates = True
    code = "SM"
    start_path = "/presse/"
    id_start = 8000

    def canonical(self, release: Release) -> str:
        return f"/presse/meldungen/{release.published.year}/{release.slug}"

    def channels(self, release: Release) -> set[str]:
        found = {"sitemap"}
        newest = self.newest_first()[:NEWS_SIZE]
        if release in newest:
            found |= {"news-sitemap", "api"}
        return found

    def non_release_paths(self) -> list[str]:
        return ["/", "/presse/", "/presse/pressekontakt", "/kontakt"]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /api/\n\nSitemap: /sitemap.xml.gz\nSitemap: /sitemap-news.xml\n"

    def years(self) -> list[int]:
        return sorted({r.published.year for r in self.releases})

    def frame(self, title: str, main: str, head: str = "") -> str:
        body = ("<header class=\"site-header\"><a href=\"/\">" + esc(self.ki) + "</a><nav><a href=\"/presse/\">Presse</a> "
                "<a href=\"/kontakt\">Kontakt</a></nav></header>"
                f"<main>{main}</main><footer>Kreisverwaltung {esc(self.ki)}</footer>")
        return document(title, body, head=head)

    def index(self, request: Request) -> str:
        entries = [(f"{request.base}/sitemap-pages.xml", None), (f"{request.base}/sitemap-news.xml", self.newest_moment())]
        for year in self.years():
            rows = [r for r in self.releases if r.published.year == year]
            entries.append((f"{request.base}/sitemap-{year}.xml", max(r.updated or r.published for r in rows)))
        return sitemap_index(entries)

    def detail(self, release: Release, request: Request) -> Response:
        head = (f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
                f"<meta property=\"article:published_time\" content=\"{release.published.isoformat()}\">\n"
                + (f"<meta property=\"article:modified_time\" content=\"{release.updated.isoformat()}\">\n"
                   if release.updated else ""))
        stamp = f"Veröffentlicht: {german_date(release.published)}"
        if release.updated:
            stamp += f" · Aktualisiert: {german_date(release.updated)}"
        main = (f"<article><h1>{esc(release.title)}</h1><p class=\"stamp\">{stamp}</p>"
                f"{paragraphs(release.prose.paragraphs)}</article>")
        return html(self.frame(release.title, main, head), release.updated or release.published)

    def respond(self, request: Request) -> Response:
        path = request.path
        if path in ("/sitemap.xml", "/sitemap_index.xml"):
            return xml(self.index(request), self.newest_moment())
        if path == "/sitemap.xml.gz":
            packed = gzip.compress(self.index(request).encode(), mtime=0)
            return Response(body=packed, content_type="application/x-gzip", modified=self.newest_moment())
        if path == "/sitemap-news.xml":
            rows = [(request.base + self.canonical(r), r.title, r.published) for r in self.newest_first()[:NEWS_SIZE]]
            return xml(news_sitemap(f"Kreis {self.ki}", rows), self.newest_moment())
        if path == "/sitemap-pages.xml":
            return xml(urlset([(request.base + p, None) for p in self.non_release_paths()]))
        if path.startswith("/sitemap-") and path.endswith(".xml"):
            year = path.removeprefix("/sitemap-").removesuffix(".xml")
            rows = [r for r in self.releases if str(r.published.year) == year]
            if not rows:
                return not_found()
            return xml(urlset([(request.base + self.canonical(r), r.updated or r.published) for r in rows]),
                       max(r.updated or r.published for r in rows))
        if path == "/api/presse.json":
            items = [{"title": r.title, "url": self.canonical(r), "date": r.day.isoformat()}
                     for r in self.newest_first()[:NEWS_SIZE]]
            return Response(body=json.dumps(items, ensure_ascii=False).encode(), content_type="application/json",
                            modified=self.newest_moment())
        if path == "/static/presse.js":
            return Response(body=SCRIPT.encode(), content_type="application/javascript")
        if path.startswith("/presse/meldungen/"):
            parts = path.strip("/").split("/")
            release = self.by_slug(parts[-1]) if len(parts) == 4 else None
            if release is None or self.canonical(release) != path:
                return not_found()
            return self.detail(release, request)
        if path == "/presse/":
            main = ("<h1>Pressemitteilungen</h1><div id=\"presse-liste\" class=\"js-list\" data-endpoint=\"/api/presse.json\">"
                    "</div><noscript>Bitte aktivieren Sie JavaScript, um die Pressemitteilungen zu sehen.</noscript>"
                    "<p><a href=\"/presse/pressekontakt\">Pressekontakt</a></p>")
            return html(self.frame("Presse", main, "<script src=\"/static/presse.js\" defer></script>\n"))
        simple = {"/": "Willkommen beim Kreis", "/presse/pressekontakt": "Pressekontakt", "/kontakt": "Kontakt"}
        if path in simple:
            return html(self.frame(simple[path], f"<h1>{simple[path]}</h1><p>Telefon 02181 601-0.</p>"))
        return not_found()
