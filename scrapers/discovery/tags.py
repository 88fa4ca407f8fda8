"""Topic and tag pages: lists that are not releases, yet may hold releases no other list shows.

CMSs keep a release in its tag or topic lists (Drupal taxonomy ``/themen/integration``,
WordPress ``/tag/…`` and ``/category/…``, TYPO3 news categories) after the press list dropped
it. On a full walk the spider reads the tag pages release pages link to, as lists: their items
are candidates, the pages themselves never releases.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

from parsel import Selector

from scrapers.discovery.urls import canonical_url, on_site

TAG_PATH = re.compile(r"/(?:tag|tags|schlagwort\w*|stichwort\w*|themen|thema|topics?|kategorie|category|rubrik)"
                      r"/[^/]+/?$", re.I)
MAX_TAGS = 12  # per release page: a tag cloud is not a list of topics


def tag_links(sel: Selector, base: str, allowed: tuple[str, ...]) -> list[str]:
    out = []
    for href in sel.css("a[href]::attr(href)").getall():
        url = canonical_url(urljoin(base, href.strip()).split("#")[0])
        if on_site(url, allowed) and TAG_PATH.search(unquote(urlparse(url).path)):
            out.append(url)
    return list(dict.fromkeys(out))[:MAX_TAGS]
