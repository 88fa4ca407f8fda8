"""What a perfect crawler would find: the releases each site still publishes, and its non-releases.

The truth is the contract between the test web and the tests of ki-monitor. A release counts
when at least one channel a visitor can reach from the start URL still lists it (listing,
archive, feed, sitemap, tag page, a "related" link on another release …); ``channels`` says
which. A release removed from the listing but still in the sitemap is a release. Session ids
(``;jsessionid=``, ``sid=``) and tracking parameters (``utm_*``) do not make a URL a different
page: :func:`normalized` drops them, and :meth:`ReleaseTruth.matches` compares that way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

SESSION_PARAMS = {"sid", "jsessionid", "phpsessid"}
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def normalized(url: str) -> str:
    """The URL with session ids and tracking parameters removed and the query sorted."""
    parts = urlsplit(url)
    path = unquote(_PATH_SESSION.sub("", parts.path))
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in SESSION_PARAMS and not k.lower().startswith("utm_"))
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, urlencode(query), ""))


@dataclass
class ReleaseTruth:
    id: str
    canonical_url: str
    aliases: list[str]
    title: str
    published: date | None  # the Berlin date; None when the site prints no date anywhere
    marker: str  # a sentence found only in this release's text
    kind: str  # "html" | "pdf"
    broken: bool  # a truncated PDF upload and the like: listed, but not readable
    channels: set[str] = field(default_factory=set)
    traits: set[str] = field(default_factory=set)  # the traps this release shows (see README)

    def urls(self) -> list[str]:
        return [self.canonical_url, *self.aliases]

    def matches(self, url: str) -> bool:
        """Whether a fetched URL is this release (canonical or alias, ignoring session ids)."""
        return normalized(url) in {normalized(u) for u in self.urls()}

    def as_dict(self) -> dict:
        return {"id": self.id, "canonical_url": self.canonical_url, "aliases": list(self.aliases),
                "title": self.title, "published": self.published.isoformat() if self.published else None,
                "marker": self.marker, "kind": self.kind, "broken": self.broken,
                "channels": sorted(self.channels), "traits": sorted(self.traits)}


@dataclass
class SiteTruth:
    slug: str
    family: str
    name: str
    start_url: str
    hosts: list[str]
    releases: list[ReleaseTruth]
    non_releases: list[str]  # pages that look like news but are not releases (tags, ressorts, …)
    ki: str = "NRW"

    def as_dict(self) -> dict:
        return {"slug": self.slug, "family": self.family, "name": self.name, "ki": self.ki,
                "start_url": self.start_url, "hosts": list(self.hosts), "non_releases": list(self.non_releases),
                "releases": [r.as_dict() for r in self.releases]}


def truth_as_json(sites: list[SiteTruth]) -> str:
    return json.dumps({"sites": [s.as_dict() for s in sites]}, ensure_ascii=False, indent=1)
