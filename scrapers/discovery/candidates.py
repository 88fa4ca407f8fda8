"""What every discovery channel hands the spider: a URL that may be a release, with what the
channel said about it (headline, publication date, last modification).

One shape for all channels, so the spider can take their union and remember which channel
found which release (``ki-monitor runs`` shows the counts per channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str | None = None
    date: date | None = None  # the publication date the channel states (feed, listing, news sitemap)
    lastmod: date | None = None  # a sitemap's lastmod: an edit date, never a publication date


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per URL (fragments dropped); the first title and date found are kept."""
    seen: dict[str, Candidate] = {}
    for c in cands:
        key = c.url.split("#")[0]
        old = seen.get(key)
        seen[key] = Candidate(key, (old and old.title) or c.title, (old and old.date) or c.date,
                              (old and old.lastmod) or c.lastmod)
    return list(seen.values())
