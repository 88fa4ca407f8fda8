"""The hop from a home page (or any page without a press list) to the press section.

City portals bury releases: the home page shows no news, and the way in is a navigation link
("Presse", "Pressemitteilungen", "Aktuelles", "Meldungen", "News", "Nachrichten",
"Neuigkeiten", "Rathaus & Service → Pressemitteilungen") or a URL segment with one of those
words. Navigation is searched here on purpose (release links never come from it); the strongest
words rank first, and a few candidates are returned, since "Aktuelles" may be events while
"Pressemitteilungen" two levels down holds the releases.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

from parsel import Selector

from scrapers.discovery.urls import SKIP_EXT, SKIP_PATH, canonical_url, on_site

PRESS_LINK = [re.compile(p, re.I) for p in (
    r"pressemitteilungen|pressemeldungen|presseinformationen|pressedienst|pressearchiv|medieninformationen|"
    r"pressemitteilung\b|presseservice|newsroom",
    r"^\W*(alle\s+)?(presse|medien|presse\s*&\s*medien|presse und medien)\b",
    r"^\W*(alle\s+)?(aktuelles|aktuelle meldungen|nachrichten|neuigkeiten|news|meldungen|mitteilungen)\b",
)]
# A section, not an article below it: the press word is the URL's last segment.
PRESS_PATH = re.compile(r"/(presse\w*|pressemitteilungen|pressemeldungen|presseinformationen|medien\w*|news|"
                        r"nachrichten|aktuelles|meldungen|neuigkeiten|mitteilungen)(/|\.html?|\.php|\.aspx)?$", re.I)
MAX_HOPS = 4


def press_page_links(sel: Selector, base: str, allowed: tuple[str, ...]) -> list[str]:
    """Links to the press section, strongest first: by link text, then by URL segment."""
    anchors = [(a, " ".join(a.xpath("string()").get().split())) for a in sel.css("a[href]")]
    ranked: list[tuple[int, str]] = []
    for anchor, text in anchors:
        href = anchor.attrib["href"].strip()
        if href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = canonical_url(urljoin(base, href).split("#")[0])
        path = unquote(urlparse(url).path)
        if (not on_site(url, allowed) or url == canonical_url(base) or SKIP_EXT.search(path)
                or SKIP_PATH.search(path) or path.lower().endswith(".pdf")):
            continue
        rank = next((i for i, p in enumerate(PRESS_LINK) if text and len(text) <= 50 and p.search(text)), None)
        if rank is None and PRESS_PATH.search(path) and path.count("/") <= 4:
            rank = len(PRESS_LINK)
        if rank is not None:
            ranked.append((rank, url))
    ranked.sort(key=lambda t: t[0])
    return list(dict.fromkeys(url for _, url in ranked))[:MAX_HOPS]
