"""A Drupal 8 district site (Kreisverwaltung), built from Views, nodes and taxonomy terms.

Traits modelled: a Views listing paged with ``?page=N`` counted from **0** (beyond the end: 404);
releases under path aliases ``/pressemitteilungen/2019/slug`` with ``/node/N`` answering 301 to
the alias; ``<link rel="shortlink">`` and ``rel=canonical``; ``/rss.xml`` with the latest 10 in
``+0000``; taxonomy pages ``/themen/…`` that list releases but are none; "Lesen Sie auch" links
by node id; the date only in words (``Dienstag, 2. Oktober 2018 - 08:15``) plus a later
"Aktualisiert:" line; basic pages (``/node/N`` too) that are not releases; ``Crawl-delay``.
"""

from __future__ import annotations

from tests.bigweb.markup import FeedItem, document, esc, paragraphs, rss
from tests.bigweb.model import (
    Release,
    Request,
    Response,
    Site,
    chunk,
    german_date,
    html,
    not_found,
    redirect,
    xml,
)
from tests.bigweb.prose import date_in_words

LIST = "/pressemitteilungen"
PER_PAGE = 20
BASIC_PAGES = {51: ("/service/oeffnungszeiten", "Öffnungszeiten der Kreisverwaltung"),
               52: ("/service/kontakt", "Kontakt und Anfahrt"),
               53: ("/kreishaus/landrat", "Der Landrat")}


class DrupalSite(Site):
    family = "drupal"
    cache_control = "max-age=900, public"
    page_traits = frozenset({"date-in-words", "node-alias-redirect", "shortlink"})
    prints_updates = True
    code = "DR"
    start_path = LIST
    id_start = 400

    def decorate(self) -> None:
        for release in self.pick(0.04, spare_newest=25):
            release.listed = False

    def canonical(self, release: Release) -> str:
        return f"{LIST}/{release.published.year}/{release.slug}"

    def aliases(self, release: Release) -> list[str]:
        return [f"/node/{release.cms_id}"]

    def related(self, release: Release) -> list[Release]:
        index = release.number - 1
        return [self.releases[i] for i in (index - 1, index - 2) if i >= 0]

    def channels(self, release: Release) -> set[str]:
        found = {"tag"}
        listed = self.newest_first()
        if release.listed:
            found.add("listing")
            if release in listed[:10]:
                found.add("feed")
        if release.number < len(self.releases):
            found.add("related")
        return found

    def tags(self) -> list[str]:
        return sorted({t for r in self.releases for t in r.prose.tags})

    def non_release_paths(self) -> list[str]:
        return ["/", LIST, *(f"/themen/{t}" for t in self.tags()), *(p for p, _ in BASIC_PAGES.values())]

    def robots(self) -> str:
        return ("User-agent: *\nCrawl-delay: 1\nDisallow: /admin/\nDisallow: /search/\nDisallow: /user/login\n"
                "Disallow: /node/add/\n")

    def frame(self, title: str, main: str, head: str = "") -> str:
        body = ("<div class=\"dialog-off-canvas-main-canvas\"><header role=\"banner\"><div class=\"region-header\">"
                f"<a href=\"/\" rel=\"home\" class=\"site-logo\">{esc(self.ki)}</a></div>"
                "<nav role=\"navigation\" class=\"menu--main\"><ul class=\"menu\">"
                f"<li class=\"menu-item\"><a href=\"{LIST}\">Presse</a></li>"
                "<li class=\"menu-item\"><a href=\"/service/oeffnungszeiten\">Service</a></li>"
                "<li class=\"menu-item\"><a href=\"/kreishaus/landrat\">Kreishaus</a></li></ul></nav></header>"
                f"<main role=\"main\"><div class=\"region-content\">{main}</div></main>"
                "<footer role=\"contentinfo\"><p>Kreisverwaltung " + esc(self.ki) + "</p></footer></div>")
        return document(f"{title} | {self.ki}", body, head=head + "<link rel=\"alternate\" type=\"application/rss+xml\" "
                        "title=\"Pressemitteilungen\" href=\"/rss.xml\">\n",
                        body_class="path-node page-node-type-pressemitteilung")

    def teaser(self, release: Release, by_node: bool = False) -> str:
        href = f"/node/{release.cms_id}" if by_node else self.canonical(release)
        return (f"<div class=\"views-row\"><article class=\"node node--type-pressemitteilung node--view-mode-teaser\">"
                f"<h2><a href=\"{href}\" rel=\"bookmark\"><span>{esc(release.title)}</span></a></h2>"
                f"<div class=\"field--name-field-datum\">{german_date(release.published)}</div>"
                f"<div class=\"field--name-body\"><p>{esc(release.prose.teaser)}</p></div></article></div>\n")

    def pager(self, base: str, current: int, count: int) -> str:
        cells = []
        if current > 0:
            cells.append(f"<li class=\"pager__item pager__item--first\"><a href=\"{base}?page=0\">« Erste Seite</a></li>")
            cells.append(f"<li class=\"pager__item pager__item--previous\"><a href=\"{base}?page={current - 1}\" rel=\"prev\">‹ Vorherige Seite</a></li>")
        for n in range(max(0, current - 4), min(count, current + 5)):
            cells.append(f"<li class=\"pager__item is-active\"><a href=\"{base}?page={n}\">{n + 1}</a></li>" if n == current
                         else f"<li class=\"pager__item\"><a href=\"{base}?page={n}\">{n + 1}</a></li>")
        if current < count - 1:
            cells.append(f"<li class=\"pager__item pager__item--next\"><a href=\"{base}?page={current + 1}\" rel=\"next\">Nächste Seite ›</a></li>")
            cells.append(f"<li class=\"pager__item pager__item--last\"><a href=\"{base}?page={count - 1}\">Letzte Seite »</a></li>")
        return f"<nav class=\"pager\" role=\"navigation\"><ul class=\"pager__items js-pager__items\">{''.join(cells)}</ul></nav>"

    def view(self, request: Request, base: str, heading: str, releases: list[Release], by_node: bool) -> Response:
        number = request.page("page", 0)
        pages = chunk(releases, PER_PAGE)
        if number is None or number >= len(pages):
            return not_found()
        rows = "".join(self.teaser(r, by_node) for r in pages[number])
        main = (f"<h1 class=\"page-title\">{esc(heading)}</h1><div class=\"view view-pressemitteilungen\">"
                f"<div class=\"view-content\">{rows}</div>{self.pager(base, number, len(pages))}</div>")
        return html(self.frame(heading, main), modified=self.newest_moment())

    def detail(self, release: Release, request: Request) -> Response:
        head = (f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
                f"<link rel=\"shortlink\" href=\"{request.base}/node/{release.cms_id}\">\n")
        updated = (f"<div class=\"field--name-field-aktualisiert\">Aktualisiert: {german_date(release.updated)}</div>"
                   if release.updated else "")
        related = "".join(f"<li><a href=\"/node/{r.cms_id}\">{esc(r.title)}</a></li>" for r in self.related(release))
        tags = "".join(f"<li><a href=\"/themen/{t}\">{t.capitalize()}</a></li>" for t in release.prose.tags)
        main = (f"<article class=\"node node--type-pressemitteilung node--view-mode-full\">"
                f"<h1 class=\"page-title\"><span>{esc(release.title)}</span></h1>"
                f"<div class=\"field--name-field-datum\">{date_in_words(release.published)} - {release.published:%H:%M}</div>"
                f"<div class=\"field--name-body\">{paragraphs(release.prose.paragraphs)}</div>{updated}"
                f"<div class=\"field--name-field-themen\"><ul>{tags}</ul></div></article>"
                f"<aside class=\"block-views-block-related\"><h2>Lesen Sie auch</h2><ul>{related}</ul></aside>")
        return html(self.frame(release.title, main, head), modified=release.updated or release.published)

    def respond(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        if path == LIST:
            return self.view(request, LIST, "Pressemitteilungen", self.newest_first(), by_node=False)
        if path.startswith(LIST + "/"):
            parts = path.split("/")
            release = self.by_slug(parts[-1]) if len(parts) == 4 else None
            if release is None or str(release.published.year) != parts[2]:
                return not_found()
            return self.detail(release, request)
        if path.startswith("/node/"):
            node = path.removeprefix("/node/")
            if node.isdigit() and int(node) in BASIC_PAGES:
                return redirect(BASIC_PAGES[int(node)][0])
            release = self.by_cms_id(node)
            return redirect(self.canonical(release)) if release else not_found()
        if path.startswith("/themen/"):
            tag = path.removeprefix("/themen/")
            if tag not in self.tags():
                return not_found()
            tagged = [r for r in self.newest_first(listed_only=False) if tag in r.prose.tags]
            return self.view(request, path, f"Thema: {tag.capitalize()}", tagged, by_node=True)
        if path == "/rss.xml":
            items = [FeedItem(r.title, request.base + self.canonical(r), r.published, r.prose.teaser,
                              f"{r.cms_id} at {request.base}") for r in self.newest_first()[:10]]
            return xml(rss(f"Kreis {self.ki}", request.base + "/", request.base + "/rss.xml", items, gmt=False),
                       self.newest_moment(), "application/rss+xml; charset=utf-8")
        for node, (alias, title) in BASIC_PAGES.items():
            if path == alias:
                main = (f"<article class=\"node node--type-page\"><h1>{esc(title)}</h1><p>Informationen der "
                        f"Kreisverwaltung {esc(self.ki)}.</p></article>")
                return html(self.frame(title, main, f"<link rel=\"shortlink\" href=\"/node/{node}\">\n"))
        if path == "/":
            links = "".join(self.teaser(r) for r in self.newest_first()[:4])
            return html(self.frame("Startseite", f"<h1>Kreis {esc(self.ki)}</h1>{links}<a href=\"{LIST}\">Alle Pressemitteilungen</a>"),
                        modified=self.newest_moment())
        return not_found()
