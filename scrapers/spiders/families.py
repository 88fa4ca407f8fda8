"""Base spiders per CMS family: the hints a family shares, so a source needs only its URL."""

from __future__ import annotations

from scrapers.sources import Source
from scrapers.spiders.source import SourceSpider

# Family → default hints (CSS). A source's own hints win over these.
FAMILY_HINTS: dict[str, dict[str, str]] = {}


def base_for(source: Source) -> type[SourceSpider]:
    return FAMILIES.get(source.cms or "", SourceSpider)


FAMILIES: dict[str, type[SourceSpider]] = {}
