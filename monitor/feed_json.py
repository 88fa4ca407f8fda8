"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) beside RSS and Atom: the same items,
for readers and scripts that prefer JSON. Written like the XML feeds: same bytes for the same
data, so ETag and Last-Modified stay put."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from monitor.feed_items import AUTHOR, Item

if TYPE_CHECKING:
    from monitor.feeds import FeedSpec

VERSION = "https://jsonfeed.org/version/1.1"
MIME = "application/feed+json"


def json_item(item: Item) -> dict:
    out = {"id": item.guid, "title": item.title, "content_html": item.html,
           "date_published": item.published.isoformat(), "date_modified": item.updated.isoformat(),
           "tags": list(item.categories)}
    if item.link:
        out["url"] = item.link
    if item.related:
        out["_ki_monitor"] = {"related": list(item.related)}  # extensions start with "_" (spec)
    return out


def json_feed(spec: FeedSpec, chosen: list[Item], base_url: str) -> bytes:
    doc = {"version": VERSION, "title": spec.title, "description": spec.description,
           "home_page_url": f"{base_url}/feeds/", "feed_url": f"{base_url}/feeds/{spec.slug}.json",
           "language": "de", "authors": [{"name": AUTHOR, "url": f"{base_url}/feeds/"}],
           "items": [json_item(i) for i in chosen]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
