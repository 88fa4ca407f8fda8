"""Base spiders per CMS family: the hints a family shares, so a source needs only its URL.

A source with ``cms = "typo3"`` (etc.) gets its family's hints under its own; the generic
heuristics still run when a hinted selector finds nothing, so a re-themed site degrades to
auto discovery instead of to silence.
"""

from __future__ import annotations

from scrapers.sources import Source
from scrapers.spiders.source import SourceSpider

# Family → default hints (CSS). A source's own hints win over these.
FAMILY_HINTS: dict[str, dict[str, str]] = {
    # tx_news default templates: one ``div.article`` per news, ``f3-widget-paginator`` or
    # the newer ``pagination`` list.
    "typo3": {"items": ".news-list-view .article", "link": "h3 a, .header a",
              "next": ".f3-widget-paginator li.next a, ul.pagination li.next a"},
    # Views rows; Drupal 8+ pager, then Drupal 7's.
    "drupal": {"items": ".view-content .views-row", "next": ".pager__item--next a, .pager-next a"},
    "wordpress": {"items": "article.type-post, article.post", "link": ".entry-title a",
                  "next": "a.next.page-numbers, .nav-previous a"},
    "gsb": {"next": "a[rel~=next], .pagination a.forward, .navIndex a.forward"},
    "numeric": {},
    # presse-service.de: one table row per release (date, title linking data.aspx/static/<id>.html
    # or the older meldung.aspx?ID=<id>), paged by ``Startrow=`` offsets with "weiter »".
    "presseservice": {
        "items": "tr:has(a[href*='/static/']), tr:has(a[href*='meldung.aspx'])",
        "link": "a[href*='/static/'], a[href*='meldung.aspx']",
        "next": "a[href*='Startrow']:contains('weiter'), a[href*='Startrow']:contains('»')",
    },
}


def _family_class(cms: str) -> type[SourceSpider]:
    title = cms.capitalize()
    return type(f"{title}Spider", (SourceSpider,), {"family_hints": FAMILY_HINTS[cms]})


FAMILIES: dict[str, type[SourceSpider]] = {cms: _family_class(cms) for cms in FAMILY_HINTS}


def base_for(source: Source) -> type[SourceSpider]:
    return FAMILIES.get(source.cms or "", SourceSpider)
