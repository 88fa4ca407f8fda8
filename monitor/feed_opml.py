"""OPML 2.0 of every feed, so a reader subscribes to all 60-odd feeds in one import (the
format every feed reader imports; https://opml.org/spec2.opml)."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from monitor.feeds import FeedConfig, FeedSpec, feed_specs

GROUPS = (("Übersicht", lambda s: not s.slug.startswith(("ki-", "rb-")) or s.slug == "ki-news"),
          ("Regierungsbezirke", lambda s: s.slug.startswith("rb-")),
          ("Kommunale Integrationszentren", lambda s: s.slug.startswith("ki-") and s.slug != "ki-news"))


def _outline(spec: FeedSpec, base_url: str, ext: str) -> str:
    return (f"      <outline type=\"rss\" text={quoteattr(spec.title)} title={quoteattr(spec.title)} "
            f"description={quoteattr(spec.description)} xmlUrl={quoteattr(f'{base_url}/feeds/{spec.slug}.{ext}')} "
            f"htmlUrl={quoteattr(f'{base_url}/feeds/')} language=\"de\"/>")


def opml(base_url: str, config: FeedConfig | None = None, ext: str = "xml") -> bytes:
    """Every feed (RSS by default; ``ext="atom"`` lists the Atom versions), grouped as the
    feed index groups them."""
    base = base_url.rstrip("/")
    specs = feed_specs(config or FeedConfig())
    body = []
    for title, wants in GROUPS:
        body.append(f"    <outline text={quoteattr(title)}>")
        body.extend(_outline(s, base, ext) for s in specs if wants(s))
        body.append("    </outline>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n"
            "    <title>KI-Monitor NRW: alle Feeds</title>\n  </head>\n  <body>\n"
            + "\n".join(body) + "\n  </body>\n</opml>\n").encode("utf-8")
