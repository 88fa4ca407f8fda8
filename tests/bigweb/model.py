"""The parts every simulated CMS shares: releases, requests, responses and the site skeleton.

A family module (``sites/typo3.py`` …) only decides URLs and markup; generating the releases,
adding new ones, paginating and turning a site into its truth happen here once.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.bigweb.prose import Prose, slug_of, write_release
from tests.bigweb.truth import ReleaseTruth, SiteTruth

BERLIN = ZoneInfo("Europe/Berlin")
UTC = UTC
TODAY = datetime(2026, 11, 27, 11, 0, tzinfo=BERLIN)  # the web's fixed "now": no wall clock


def esc(text: str) -> str:
    return escape(text, quote=True)


@dataclass
class Release:
    number: int  # 1 … n, in order of publication
    cms_id: int  # the id the CMS shows in URLs (node id, uid, pm_id …)
    prose: Prose
    published: datetime  # aware, Europe/Berlin
    slug: str
    updated: datetime | None = None  # a later "Stand:" / "Aktualisiert:" date
    kind: str = "html"
    broken: bool = False
    dated: bool = True  # False: the site prints no date for it anywhere
    listed: bool = True  # False: removed from the listing (other channels may still carry it)

    @property
    def title(self) -> str:
        return self.prose.title

    @property
    def day(self):
        return self.published.date()


@dataclass
class Request:
    method: str
    target: str  # path + query as sent
    path: str  # without ;path-parameters
    path_params: str  # e.g. "jsessionid=ABC"
    query: dict[str, str]
    headers: dict[str, str]

    @classmethod
    def parse(cls, method: str, target: str, headers: dict[str, str]) -> Request:
        parts = urlsplit(target)
        path, _, params = parts.path.partition(";")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        return cls(method, target, path, params, query, {k.lower(): v for k, v in headers.items()})

    @property
    def base(self) -> str:
        """Scheme and host as the client addressed the site (feeds and sitemaps are absolute)."""
        return "http://" + self.headers.get("host", "127.0.0.1")

    def cookie(self, name: str) -> str | None:
        for part in self.headers.get("cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def page(self, key: str, default: int) -> int | None:
        """A page number parameter; None when it is not a number (the site answers 404)."""
        raw = self.query.get(key)
        if raw is None:
            return default
        return int(raw) if raw.isdigit() else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    modified: datetime | None = None  # becomes Last-Modified where the site sends it


def html(text: str, modified: datetime | None = None, **kw) -> Response:
    return Response(body=text.encode("utf-8"), modified=modified, **kw)


def xml(text: str, modified: datetime | None = None, content_type: str = "application/xml; charset=utf-8") -> Response:
    return Response(body=text.encode("utf-8"), content_type=content_type, modified=modified)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status=status, headers={"Location": location}, body=b"",
                    content_type="text/html; charset=utf-8")


def not_found(text: str = "<!doctype html><title>404 Seite nicht gefunden</title><h1>Seite nicht gefunden</h1>") -> Response:
    return Response(status=404, body=text.encode("utf-8"))


def chunk(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def token(*parts: object, length: int = 32) -> str:
    """A deterministic hex token (session ids, cHashes) from what it stands for."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:length].upper()


class Site:
    """One simulated site: its releases, its URL scheme (subclass) and its truth."""

    family = "generic"
    validators = "both"  # "both" | "etag" | "last-modified" | "none"
    cache_control: str | None = None  # sent with every 200/304 when set
    page_traits: frozenset[str] = frozenset()  # traps every release page of the family shows
    prints_updates = False  # whether pages show the later "Aktualisiert"/"Stand" date
    start_path = "/"
    code = "X"  # short code in marker sentences
    id_start = 1000

    def __init__(self, slug: str, name: str, ki: str, rng: random.Random, count: int, start_year: int) -> None:
        self.slug, self.name, self.ki, self.rng = slug, name, ki, rng
        self.releases: list[Release] = []
        self._slugs: set[str] = set()
        self._next_id = self.id_start
        start = datetime(start_year, 1, 1, 8, 0, tzinfo=BERLIN)
        span = (TODAY - start).total_seconds()
        moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
        for moment in moments:
            self._append(self._office_hours(moment))
        if len(self.releases) >= 2:  # a release published after midnight sits in every feed
            second = self.releases[-2]
            second.published = second.published.replace(hour=0, minute=30)
        self.decorate()

    # -- generation -------------------------------------------------------------------------
    def _office_hours(self, moment: datetime) -> datetime:
        if self.rng.random() < 0.06:
            return moment.replace(hour=0, minute=self.rng.randint(5, 55), second=0, microsecond=0)
        return moment.replace(hour=self.rng.randint(7, 17), minute=self.rng.randint(0, 59), second=0,
                              microsecond=0)

    def _append(self, published: datetime) -> Release:
        number = len(self.releases) + 1
        prose = write_release(self.rng, self.code, number, published.year)
        slug = slug_of(prose.title)
        while slug in self._slugs:
            slug = f"{slug_of(prose.title)}-{self.rng.randint(2, 99)}"
        self._slugs.add(slug)
        self._next_id += self.rng.randint(1, 9)
        release = Release(number=number, cms_id=self._next_id, prose=prose, published=published, slug=slug)
        updated = published + timedelta(days=self.rng.randint(1, 400), hours=3)
        if self.rng.random() < 0.3 and updated < TODAY:
            release.updated = updated
        self.releases.append(release)
        return release

    def decorate(self) -> None:
        """Mark family-specific traits (PDF-only, unlisted, undated …) after generation."""

    def pick(self, share: float, spare_newest: int) -> list[Release]:
        """A share (at least one) of the older releases, to carry a trait; in publication order."""
        older = self.releases[:-spare_newest]
        chosen = self.rng.sample(older, min(len(older), max(1, round(share * len(self.releases)))))
        return sorted(chosen, key=lambda r: r.number)

    def add_releases(self, n: int) -> list[Release]:
        added = []
        for _ in range(n):
            last = max(self.releases[-1].published, self.newest_moment())  # a list changes when a release is added
            added.append(self._append(last + timedelta(hours=self.rng.randint(3, 30))))
        return added

    # -- views used by families ---------------------------------------------------------------
    def newest_first(self, listed_only: bool = True) -> list[Release]:
        return [r for r in reversed(self.releases) if r.listed or not listed_only]

    def by_cms_id(self, cms_id: int | str) -> Release | None:
        try:
            wanted = int(cms_id)
        except ValueError:
            return None
        return next((r for r in self.releases if r.cms_id == wanted), None)

    def by_slug(self, slug: str) -> Release | None:
        return next((r for r in self.releases if r.slug == slug), None)

    def newest_moment(self) -> datetime:
        return max(r.updated or r.published for r in self.releases) if self.releases else TODAY

    # -- the URL scheme, decided by each family -------------------------------------------------
    def canonical(self, release: Release) -> str:
        raise NotImplementedError

    def aliases(self, release: Release) -> list[str]:
        return []

    def channels(self, release: Release) -> set[str]:
        return {"listing"} if release.listed else set()

    def non_release_paths(self) -> list[str]:
        return []

    def traits(self, release: Release) -> set[str]:
        found = set(self.page_traits)
        if release.published.astimezone(UTC).date() != release.day:
            found.add("utc-day-before")
        if release.updated and self.prints_updates:
            found.add("updated-later")
        if not release.listed:
            found.add("removed-from-listing")
        if not release.dated:
            found.add("undated")
        if release.kind == "pdf":
            found |= {"pdf", "letterhead", "hyphenated"} - (set() if not release.broken else {"hyphenated"})
        if release.broken:
            found.add("truncated-pdf")
        return found

    def robots(self) -> str | None:
        return "User-agent: *\nDisallow:\n"

    def respond(self, request: Request) -> Response:
        raise NotImplementedError

    # -- truth ------------------------------------------------------------------------------
    def truth(self, base: str) -> SiteTruth:
        releases = [ReleaseTruth(
            id=f"{self.slug}:{r.cms_id}", canonical_url=base + self.canonical(r),
            aliases=[base + a for a in self.aliases(r)], title=r.title,
            published=r.day if r.dated else None, marker=r.prose.marker, kind=r.kind,
            broken=r.broken, channels=self.channels(r), traits=self.traits(r)) for r in self.releases]
        host = base.split("//", 1)[1]
        return SiteTruth(slug=self.slug, family=self.family, name=self.name,
                         start_url=base + self.start_path, hosts=[host],
                         releases=[r for r in releases if r.channels],
                         non_releases=[base + p for p in self.non_release_paths()], ki=self.ki)


def german_date(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
