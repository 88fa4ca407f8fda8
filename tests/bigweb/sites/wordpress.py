"""A WordPress site of a Kommunales Integrationszentrum, with Yoast SEO's sitemaps.

Traits modelled: the blog index at ``/`` paged as ``/page/N/`` (1-based, 404 beyond the end);
``/2018/05/slug/`` permalinks with ``/?p=N`` answering 301 and ``rel=shortlink``; ``/feed/``
with the latest 10 (``+0000``); ``sitemap_index.xml`` → ``post-sitemap.xml``,
``post-sitemap2.xml`` … (100 each) + page/category/author sitemaps; category, tag and author
archives (not releases); ``utm_*`` parameters on the sidebar's links; ``<time class="updated">``
later than the publication.
"""

from __future__ import annotations

from tests.bigweb.markup import FeedItem, document, esc, paragraphs, rss, sitemap_index, urlset
from tests.bigweb.model import (
    Release,
    Request,
    Response,
    Site,
    chunk,
    html,
    not_found,
    redirect,
    xml,
)
from tests.bigweb.prose import MONTHS

PER_PAGE = 10
PER_SITEMAP = 100
AUTHORS = ("aylin-demir", "thomas-becker", "redaktion")
CATEGORIES = {"integration": "Integration", "schule": "Bildung", "veranstaltung": "Veranstaltungen",
              "strassen": "Allgemein", "rat": "Allgemein", "umwelt": "Allgemein", "soziales": "Soziales"}
PAGES = {"/ueber-uns/": "Über uns", "/team/": "Unser Team", "/kontakt/": "Kontakt"}
UTM = "?utm_source=website&utm_medium=sidebar&utm_campaign=neueste-beitraege"


def category_of(release: Release) -> str:
    return CATEGORIES[release.prose.topic].lower()


class WordPressSite(Site):
    family = "wordpress"
    page_traits = frozenset({"time-datetime", "shortlink-redirect"})
    prints_updates = True
    code = "WP"
    start_path = "/"
    id_start = 1200

    def decorate(self) -> None:
        for release in self.pick(0.02, spare_newest=20):
            release.listed = False

    def author(self, release: Release) -> str:
        return AUTHORS[release.cms_id % len(AUTHORS)]

    def canonical(self, release: Release) -> str:
        return f"/{release.published:%Y/%m}/{release.slug}/"

    def aliases(self, release: Release) -> list[str]:
        return [f"/?p={release.cms_id}"]

    def channels(self, release: Release) -> set[str]:
        found = {"sitemap"}
        if release.listed:
            found |= {"listing", "category", "tag", "author"}
            if release in self.newest_first()[:10]:
                found.add("feed")
        return found

    def archives(self) -> list[str]:
        cats = sorted({f"/category/{category_of(r)}/" for r in self.releases})
        tags = sorted({f"/tag/{t}/" for r in self.releases for t in r.prose.tags})
        return cats + tags + [f"/author/{a}/" for a in AUTHORS]

    def non_release_paths(self) -> list[str]:
        return ["/", *self.archives(), *PAGES]

    def robots(self) -> str:
        return ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
                "Sitemap: /sitemap_index.xml\n")

    def frame(self, title: str, main: str, head: str = "", body_class: str = "home blog") -> str:
        recent = "".join(f"<li><a href=\"{self.canonical(r)}{UTM}\">{esc(r.title)}</a></li>"
                         for r in self.newest_first()[:5])
        cats = "".join(f"<li class=\"cat-item\"><a href=\"{p}\">{p.split('/')[2].capitalize()}</a></li>"
                       for p in self.archives() if p.startswith("/category/"))
        body = (f"<div id=\"page\" class=\"site\"><header id=\"masthead\" class=\"site-header\">"
                f"<p class=\"site-title\"><a href=\"/\" rel=\"home\">{esc(self.name)}</a></p>"
                "<nav id=\"site-navigation\" class=\"main-navigation\"><ul id=\"primary-menu\" class=\"menu\">"
                + "".join(f"<li class=\"menu-item\"><a href=\"{p}\">{esc(t)}</a></li>" for p, t in PAGES.items())
                + f"</ul></nav></header><div id=\"content\" class=\"site-content\"><main id=\"main\" class=\"site-main\">{main}</main>"
                f"<aside id=\"secondary\" class=\"widget-area\"><section class=\"widget widget_recent_entries\">"
                f"<h2 class=\"widget-title\">Neueste Beiträge</h2><ul>{recent}</ul></section>"
                f"<section class=\"widget widget_categories\"><h2 class=\"widget-title\">Kategorien</h2><ul>{cats}</ul></section>"
                "</aside></div><footer class=\"site-footer\">Stolz präsentiert von WordPress</footer></div>")
        head += ("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Feed\" href=\"/feed/\">\n"
                 "<meta name=\"generator\" content=\"WordPress 6.4.2\">\n")
        return document(title, body, head=head, body_class=body_class)

    def when(self, release: Release) -> str:
        moment = release.published
        shown = f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year}"
        updated = release.updated or moment
        return (f"<time class=\"entry-date published\" datetime=\"{moment.isoformat()}\">{shown}</time>"
                f"<time class=\"updated\" datetime=\"{updated.isoformat()}\">{updated:%d.%m.%Y}</time>")

    def excerpt(self, release: Release) -> str:
        return (f"<article id=\"post-{release.cms_id}\" class=\"post-{release.cms_id} post type-post status-publish\">"
                f"<header class=\"entry-header\"><h2 class=\"entry-title\"><a href=\"{self.canonical(release)}\" rel=\"bookmark\">"
                f"{esc(release.title)}</a></h2><div class=\"entry-meta\"><span class=\"posted-on\">Veröffentlicht am "
                f"{self.when(release)}</span> <span class=\"byline\">von <a href=\"/author/{self.author(release)}/\">"
                f"{self.author(release)}</a></span></div></header><div class=\"entry-summary\"><p>{esc(release.prose.teaser)} "
                f"[&hellip;]</p></div></article>\n")

    def archive(self, base: str, heading: str, releases: list[Release], number: int) -> Response:
        pages = chunk(releases, PER_PAGE)
        if number < 1 or number > len(pages):
            return not_found()
        nav = ""
        if number < len(pages):
            nav += f"<div class=\"nav-previous\"><a href=\"{base}page/{number + 1}/\">« Ältere Beiträge</a></div>"
        if number > 1:
            newer = base if number == 2 else f"{base}page/{number - 1}/"
            nav += f"<div class=\"nav-next\"><a href=\"{newer}\">Neuere Beiträge »</a></div>"
        main = (f"<header class=\"page-header\"><h1 class=\"page-title\">{esc(heading)}</h1></header>"
                + "".join(self.excerpt(r) for r in pages[number - 1])
                + f"<nav class=\"navigation posts-navigation\"><div class=\"nav-links\">{nav}</div></nav>")
        return html(self.frame(heading, main), modified=self.newest_moment())

    def single(self, release: Release, request: Request) -> Response:
        head = (f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
                f"<link rel='shortlink' href='{request.base}/?p={release.cms_id}'>\n"
                f"<meta property=\"article:published_time\" content=\"{release.published.isoformat()}\">\n")
        tags = ", ".join(f"<a href=\"/tag/{t}/\" rel=\"tag\">{t}</a>" for t in release.prose.tags)
        main = (f"<article id=\"post-{release.cms_id}\" class=\"post type-post status-publish format-standard\">"
                f"<header class=\"entry-header\"><h1 class=\"entry-title\">{esc(release.title)}</h1>"
                f"<div class=\"entry-meta\">{self.when(release)}</div></header>"
                f"<div class=\"entry-content\">{paragraphs(release.prose.paragraphs)}</div>"
                f"<footer class=\"entry-footer\"><span class=\"cat-links\">Veröffentlicht in <a href=\"/category/{category_of(release)}/\">"
                f"{CATEGORIES[release.prose.topic]}</a></span> <span class=\"tags-links\">Schlagwörter: {tags}</span></footer></article>")
        return html(self.frame(release.title, main, head, "post-template-default single single-post"),
                    modified=release.updated or release.published)

    def sitemaps(self, request: Request, name: str) -> Response | None:
        base = request.base
        posts = [r for r in self.releases]  # Yoast lists oldest first
        post_chunks = chunk(posts, PER_SITEMAP)
        names = ["post-sitemap.xml", *(f"post-sitemap{i}.xml" for i in range(2, len(post_chunks) + 1))]
        if name == "sitemap_index.xml":
            return xml(sitemap_index([(f"{base}/{n}", max(r.updated or r.published for r in c))
                                      for n, c in zip(names, post_chunks, strict=True)]
                                     + [(f"{base}/page-sitemap.xml", None), (f"{base}/category-sitemap.xml", None),
                                        (f"{base}/author-sitemap.xml", None)]), self.newest_moment())
        if name in names:
            rows = post_chunks[names.index(name)]
            return xml(urlset([(base + self.canonical(r), r.updated or r.published) for r in rows]), self.newest_moment())
        groups = {"page-sitemap.xml": ["/", *PAGES], "author-sitemap.xml": [f"/author/{a}/" for a in AUTHORS],
                  "category-sitemap.xml": [p for p in self.archives() if p.startswith("/category/")]}
        if name in groups:
            return xml(urlset([(base + p, None) for p in groups[name]]))
        return None

    def respond(self, request: Request) -> Response:
        path = request.path
        if path == "/" and "p" in request.query:
            release = self.by_cms_id(request.query["p"])
            return redirect(self.canonical(release)) if release else not_found()
        sitemap = self.sitemaps(request, path.lstrip("/")) if path.endswith(".xml") else None
        if sitemap is not None:
            return sitemap
        if path == "/feed/":
            items = [FeedItem(r.title, request.base + self.canonical(r), r.published, r.prose.teaser,
                              f"{request.base}/?p={r.cms_id}") for r in self.newest_first()[:10]]
            return xml(rss(self.name, request.base + "/", request.base + "/feed/", items, gmt=False),
                       self.newest_moment(), "application/rss+xml; charset=UTF-8")
        base, number = path, 1
        if "/page/" in path:
            base, _, rest = path.partition("page/")
            if not rest.rstrip("/").isdigit():
                return not_found()
            number = int(rest.rstrip("/"))
            if number == 1:
                return redirect(base)
        if base == "/":
            return self.archive("/", self.name, self.newest_first(), number)
        parts = base.strip("/").split("/")
        if len(parts) == 2 and parts[0] in ("category", "tag", "author"):
            kind, value = parts
            chosen = [r for r in self.newest_first() if
                      (kind == "category" and category_of(r) == value) or (kind == "tag" and value in r.prose.tags)
                      or (kind == "author" and self.author(r) == value)]
            return self.archive(base, f"{kind.capitalize()}: {value}", chosen, number) if chosen else not_found()
        if len(parts) == 3 and number == 1:
            release = self.by_slug(parts[2])
            if release and f"{release.published:%Y/%m}" == f"{parts[0]}/{parts[1]}":
                return self.single(release, request)
        if path in PAGES:
            return html(self.frame(PAGES[path], f"<article class=\"page\"><h1>{esc(PAGES[path])}</h1>"
                                   "<p>Das Kommunale Integrationszentrum berät und begleitet.</p></article>", body_class="page"))
        return not_found()
