"""A demo site: entries (press releases) rendered into pages by a CMS family."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from monitor.demoweb.documents import Document


@dataclass
class Entry:
    slug: str
    title: str
    paragraphs: list[str]
    published: date
    modified: datetime
    pdf: bytes | None = None  # published only as a PDF document
    numeric_id: int = 0

    @classmethod
    def from_document(cls, doc: Document, numeric_id: int = 0, pdf: bytes | None = None) -> Entry:
        modified = datetime(doc.published.year, doc.published.month, doc.published.day, 9, 30, tzinfo=UTC)
        return cls(doc.id, doc.title, doc.paragraphs, doc.published, modified, pdf, numeric_id)


@dataclass
class Page:
    body: bytes
    content_type: str
    modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified.astimezone(UTC), usegmt=True)


_NOT_RENDERED = {"entries", "failures", "hits", "_rendered", "family", "delays"}


@dataclass
class Site:
    """One web site. ``family`` renders it; the flags switch discovery paths on and off."""

    id: str
    name: str
    family: object  # monitor.demoweb.families.Family
    entries: list[Entry]
    per_page: int = 6
    listing: bool = True
    feed: bool = False
    sitemap: bool = False
    robots_sitemap: bool = True  # announce the sitemap in robots.txt
    charset: str = "utf-8"  # the charset the bytes are in
    declared_charset: str | None = "utf-8"  # what the header claims (None: no charset at all)
    disallow: tuple[str, ...] = ("/intern/",)
    base_url: str = ""  # set by the server once it has a port
    failures: dict[str, int] = field(default_factory=dict)  # path -> HTTP status to answer
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> new path (301)
    delays: dict[str, float] = field(default_factory=dict)  # path -> seconds before answering
    hits: list[tuple[str, int]] = field(default_factory=list)
    _rendered: tuple[tuple, dict[str, Page]] | None = field(default=None, repr=False)

    # -- mutations used by tests and the demo ---------------------------------------------
    def publish(self, entry: Entry) -> None:
        self.entries.insert(0, entry)

    def edit(self, slug: str, paragraphs: list[str], when: datetime | None = None) -> None:
        entry = self.entry(slug)
        entry.paragraphs = paragraphs
        entry.modified = when or datetime.now(UTC)

    def remove(self, slug: str) -> None:
        self.entries.remove(self.entry(slug))

    def entry(self, slug: str) -> Entry:
        return next(e for e in self.entries if e.slug == slug)

    # -- rendering -------------------------------------------------------------------------
    @property
    def start_path(self) -> str:
        return self.family.listing_path(1) if self.listing else "/"

    @property
    def start_url(self) -> str:
        return self.base_url + self.start_path

    def article_url(self, entry: Entry) -> str:
        return self.base_url + self.family.article_path(entry)

    def listing_pages(self) -> list[list[Entry]]:
        return [self.entries[i : i + self.per_page] for i in range(0, len(self.entries), self.per_page)] or [[]]

    def html(self, text: str, modified: datetime) -> Page:
        declared = f"; charset={self.declared_charset}" if self.declared_charset else ""
        return Page(text.encode(self.charset, "xmlcharrefreplace"), "text/html" + declared, modified)

    def pages(self) -> dict[str, Page]:
        """All pages of the site; rendered once and again only after the site changed."""
        settings = tuple(getattr(self, f.name) for f in fields(self) if f.name not in _NOT_RENDERED)
        state = (settings, tuple((id(e), e.modified, e.title, len(e.paragraphs)) for e in self.entries))
        if self._rendered is None or self._rendered[0] != state:
            self._rendered = (state, self._render())
        return self._rendered[1]

    def _render(self) -> dict[str, Page]:
        newest = max((e.modified for e in self.entries), default=datetime(2020, 1, 1, tzinfo=UTC))
        out: dict[str, Page] = {}
        for entry in self.entries:
            path = self.family.article_path(entry)
            if entry.pdf is not None:
                out[path] = Page(entry.pdf, "application/pdf", entry.modified)
            else:
                out[path] = self.html(self.family.render_article(self, entry), entry.modified)
        chunks = self.listing_pages()
        if self.listing:
            for n, chunk in enumerate(chunks, 1):
                out[self.family.listing_path(n)] = self.html(
                    self.family.render_listing(self, chunk, n, len(chunks)), newest
                )
        if not self.listing or self.family.listing_path(1) != "/":
            out.setdefault("/", self.html(self.family.render_home(self), newest))
        if self.feed:
            out[self.family.feed_path] = Page(self.rss().encode(), "application/rss+xml; charset=utf-8", newest)
        if self.sitemap:
            out["/sitemap.xml"] = Page(self.sitemap_xml().encode(), "application/xml", newest)
        out["/robots.txt"] = Page(self.robots().encode(), "text/plain", newest)
        return out

    def robots(self) -> str:
        lines = ["User-agent: *", *[f"Disallow: {p}" for p in self.disallow]]
        if self.sitemap and self.robots_sitemap:
            lines.append(f"Sitemap: {self.base_url}/sitemap.xml")
        return "\n".join(lines) + "\n"

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{escape(e.title)}</title><link>{escape(self.article_url(e))}</link>"
            f"<guid>{escape(self.article_url(e))}</guid>"
            f"<pubDate>{format_datetime(e.modified)}</pubDate>"
            f"<description>{escape(e.paragraphs[0][:200] if e.paragraphs else '')}</description></item>"
            for e in self.entries[:20]
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(self.name)} – Pressemitteilungen</title><link>{escape(self.base_url)}/</link>"
            f"<description>Pressemitteilungen</description>{items}</channel></rss>"
        )

    def sitemap_xml(self) -> str:
        urls = "".join(
            f"<url><loc>{escape(self.article_url(e))}</loc><lastmod>{e.modified.date().isoformat()}</lastmod></url>"
            for e in self.entries
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{escape(self.base_url)}/</loc></url>'
            f"{urls}</urlset>"
        )
