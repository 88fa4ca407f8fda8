"""A local paper (Anzeigenblatt) that republishes the district's press releases behind a paywall.

Traits modelled: the HTML shows only a teaser and a paywall box, the full text is in the JSON-LD
``articleBody``; every article page carries a "Meistgelesen" sidebar and "Weitere Artikel" with
other articles' titles and teasers; ``<time datetime="…Z">`` in UTC (many releases are published
after midnight Berlin time, so the UTC date is the day before — the Berlin date is the truth);
an AMP variant ``/amp/…`` (``rel=amphtml`` / ``rel=canonical``); ressort pages ``/lokales/kleve/``
that list articles but are none; only an ``ETag``.
"""

from __future__ import annotations

import json

from tests.bigweb.markup import document, esc
from tests.bigweb.model import Release, Request, Response, Site, chunk, html, not_found, utc_iso

LIST = "/pressemitteilungen/"
RESSORTS = ("kleve", "goch", "emmerich")
PER_PAGE = 20


class NewspaperSite(Site):
    family = "newspaper"
    cache_control = "max-age=60, public"
    page_traits = frozenset({"time-utc", "jsonld-body-only", "sidebar-teasers", "amp-variant"})
    code = "NP"
    validators = "etag"
    start_path = LIST
    id_start = 44000000

    def decorate(self) -> None:
        for release in self.releases:
            if self.rng.random() < 0.2:
                release.published = release.published.replace(hour=self.rng.choice((0, 1)), minute=self.rng.randint(0, 59))

    def ressort(self, release: Release) -> str:
        return RESSORTS[release.cms_id % len(RESSORTS)]

    def canonical(self, release: Release) -> str:
        return f"/lokales/{self.ressort(release)}/{release.slug}_aid-{release.cms_id}"

    def aliases(self, release: Release) -> list[str]:
        return ["/amp" + self.canonical(release)]

    def non_release_paths(self) -> list[str]:
        return ["/", LIST, *(f"/lokales/{r}/" for r in RESSORTS)]

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /suche/\nDisallow: /abo/\n"

    def frame(self, title: str, main: str, head: str = "", aside: str = "") -> str:
        nav = "".join(f"<a href=\"/lokales/{r}/\">{r.capitalize()}</a> " for r in RESSORTS)
        body = (f"<header class=\"masthead\"><a href=\"/\" class=\"logo\">Niederrhein Nachrichten</a>"
                f"<nav class=\"ressorts\">{nav}<a href=\"{LIST}\">Pressemitteilungen</a> <a href=\"/abo/\">Abo</a></nav></header>"
                f"<div class=\"layout\"><main class=\"article-main\">{main}</main><aside class=\"sidebar\">{aside}</aside></div>"
                "<footer>© Niederrhein Nachrichten · Impressum · Datenschutz</footer>")
        return document(title, body, head=head)

    def card(self, release: Release) -> str:
        return (f"<div class=\"teaser-card\"><a href=\"{self.canonical(release)}\"><h3>{esc(release.title)}</h3></a>"
                f"<p>{esc(release.prose.teaser)}</p><time datetime=\"{utc_iso(release.published)}\"></time></div>\n")

    def others(self, release: Release, count: int, salt: int) -> list[Release]:
        pool = [r for r in self.releases if r is not release]
        return [pool[(release.cms_id * (salt + 7) + i * 31) % len(pool)] for i in range(count)] if pool else []

    def article(self, release: Release, request: Request, amp: bool) -> Response:
        body = " ".join(release.prose.paragraphs)
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": release.title,
              "datePublished": utc_iso(release.published), "articleBody": body,
              "isAccessibleForFree": False, "publisher": {"@type": "Organization", "name": "Niederrhein Nachrichten"}}
        head = (f"<link rel=\"canonical\" href=\"{request.base}{self.canonical(release)}\">\n"
                + ("" if amp else f"<link rel=\"amphtml\" href=\"{request.base}/amp{self.canonical(release)}\">\n")
                + "<script type=\"application/ld+json\">" + json.dumps(ld, ensure_ascii=False) + "</script>\n")
        main = (f"<article class=\"park-article\"><p class=\"kicker\">{self.ressort(release).capitalize()}</p>"
                f"<h1>{esc(release.title)}</h1><time class=\"article-date\" datetime=\"{utc_iso(release.published)}\">"
                f"{release.published:%d.%m.%Y}</time><p class=\"intro\">{esc(release.prose.teaser)}</p>"
                "<div class=\"paywall\"><h2>Weiterlesen mit NN+</h2><p>Jetzt 4 Wochen für 0,99 € testen.</p>"
                "<a href=\"/abo/\">Jetzt abonnieren</a></div></article>"
                "<section class=\"more-articles\"><h2>Weitere Artikel</h2>"
                + "".join(self.card(r) for r in self.others(release, 3, 2)) + "</section>")
        aside = "<h2>Meistgelesen</h2>" + "".join(self.card(r) for r in self.others(release, 5, 1))
        return html(self.frame(release.title, main, head, aside), release.published)

    def listing(self, heading: str, releases: list[Release], request: Request, base: str) -> Response:
        number = request.page("page", 1)
        pages = chunk(releases, PER_PAGE)
        if number is None or not 1 <= number <= len(pages):
            return not_found()
        more = f"<a class=\"load-more\" href=\"{base}?page={number + 1}\">Mehr laden</a>" if number < len(pages) else ""
        main = f"<h1>{esc(heading)}</h1>{''.join(self.card(r) for r in pages[number - 1])}{more}"
        return html(self.frame(heading, main), self.newest_moment())

    def respond(self, request: Request) -> Response:
        path = request.path
        if path == LIST:
            return self.listing("Pressemitteilungen", self.newest_first(), request, LIST)
        amp = path.startswith("/amp/")
        if amp:
            path = path[4:]
        if path.startswith("/lokales/") and "_aid-" in path:
            release = self.by_cms_id(path.rsplit("_aid-", 1)[1])
            if release is None or self.canonical(release) != path:
                return not_found()
            return self.article(release, request, amp)
        for ressort in RESSORTS:
            if path == f"/lokales/{ressort}/" and not amp:
                chosen = [r for r in self.newest_first() if self.ressort(r) == ressort]
                return self.listing(f"Lokales {ressort.capitalize()}", chosen, request, path)
        if path == "/" and not amp:
            return html(self.frame("Niederrhein Nachrichten", "<h1>Nachrichten vom Niederrhein</h1>"
                                   + "".join(self.card(r) for r in self.newest_first()[:8])), self.newest_moment())
        return not_found()
