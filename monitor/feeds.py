"""Feeds (feedgen): RSS 2.0 and Atom of events — all KI news, visits, funding, per KI, per
Regierungsbezirk — and a ``status`` feed of failing sources. One entry per event, with a
GUID that never changes for that event.

Feeds are rebuilt from the database after every run and written atomically (temp file +
rename), so a reader never sees half a file and a rerun over unchanged data writes the same
bytes (``lastBuildDate`` comes from the data, not from the clock) — the server's ETag and
Last-Modified then stay put and readers get ``304``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedgen.feed import FeedGenerator
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.clock import BERLIN, aware
from monitor.clock import now as default_now
from monitor.feed_items import AUTHOR, Item, clean, event_item, load_events
from monitor.feed_json import json_feed
from monitor.health import DEFAULT_THRESHOLD
from monitor.status_items import status_items
from scrapers.kis import load_kis
from scrapers.sources import SLUG, slugify
from storage.models import Run

DEFAULT_LIMIT = 200
DEFAULT_BASE_URL = "http://127.0.0.1:8470"  # what `ki-monitor serve` listens on by default
FORMATS = {"rss": "xml", "atom": "atom"}


def _env_int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = env.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class FeedConfig:
    """How big feeds get and what they show; ``from_env`` reads ``KI_MONITOR_FEED_*``."""

    max_entries: int = DEFAULT_LIMIT  # newest N entries per feed
    max_days: int | None = None  # and/or only events published in the last D days
    show_updates: bool = True  # "aktualisiert" mark and the diff on updated releases
    health_threshold: int = DEFAULT_THRESHOLD  # bad runs in a row before subscribers hear of it
    health_in_main: bool = True  # failing sources also appear in the main ki-news feed

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> FeedConfig:
        def flag(name: str, default: bool) -> bool:
            raw = env.get(name, "").strip().lower()
            return default if not raw else raw not in ("0", "false", "no", "off")

        return cls(
            max_entries=_env_int(env, "KI_MONITOR_FEED_MAX_ENTRIES", DEFAULT_LIMIT) or DEFAULT_LIMIT,
            max_days=_env_int(env, "KI_MONITOR_FEED_MAX_DAYS", None),
            show_updates=flag("KI_MONITOR_FEED_UPDATES", True),
            health_threshold=_env_int(env, "KI_MONITOR_HEALTH_THRESHOLD", DEFAULT_THRESHOLD) or DEFAULT_THRESHOLD,
            health_in_main=flag("KI_MONITOR_FEED_HEALTH_IN_MAIN", True),
        )


@dataclass(frozen=True)
class FeedSpec:
    slug: str
    title: str
    description: str
    wants: Callable[[Item], bool]


def _news(item: Item) -> bool:
    return item.label in ("visit", "funding")


def feed_specs(config: FeedConfig | None = None) -> list[FeedSpec]:
    config = config or FeedConfig()
    main_wants = (lambda i: True) if config.health_in_main else _news
    specs = [
        FeedSpec("ki-news", "KI-Monitor NRW: alle Meldungen",
                 "Besuche und Förderung der Kommunalen Integrationszentren in NRW", main_wants),
        FeedSpec("besuche", "KI-Monitor NRW: Besuche",
                 "Besuche von Landes- und Bundespolitik in den Kommunalen Integrationszentren",
                 lambda i: i.label == "visit"),
        FeedSpec("foerderung", "KI-Monitor NRW: Förderung",
                 "Landesmittel, KOMM-AN NRW, Kommunales Integrationsmanagement", lambda i: i.label == "funding"),
        FeedSpec("status", "KI-Monitor NRW: Quellenstatus",
                 "Quellen, die mehrere Läufe in Folge fehlschlagen oder nichts finden", lambda i: i.label == "status"),
    ]
    for ki in load_kis():
        specs.append(FeedSpec(f"ki-{slugify(ki.name)}", f"KI-Monitor NRW: {ki.name}",
                              f"Meldungen über das Kommunale Integrationszentrum {ki.name}",
                              lambda i, n=ki.name: _news(i) and n in i.kis))
    for rb in sorted({k.regierungsbezirk for k in load_kis()}):
        names = frozenset(k.name for k in load_kis() if k.regierungsbezirk == rb)
        specs.append(FeedSpec(f"rb-{slugify(rb)}", f"KI-Monitor NRW: Regierungsbezirk {rb}",
                              f"Meldungen über die Kommunalen Integrationszentren im Regierungsbezirk {rb}",
                              lambda i, n=names: _news(i) and bool(n & i.kis)))
    assert all(SLUG.match(s.slug) for s in specs)
    return specs


def collect_items(session: Session, config: FeedConfig, clock: Callable[[], datetime] = default_now) -> list[Item]:
    """Every entry any feed may carry, newest first."""
    events, latest = load_events(session)
    items = [event_item(e, latest, config.show_updates) for e in events]
    if config.max_days is not None:
        oldest = (clock().astimezone(BERLIN) - timedelta(days=config.max_days)).date()
        items = [i for i in items if i.published.date() >= oldest]
    items += status_items(session, config.health_threshold)
    return sorted(items, key=lambda i: (i.published, i.guid), reverse=True)


def build(spec: FeedSpec, items: list[Item], base_url: str, limit: int = DEFAULT_LIMIT, fmt: str = "rss",
          last_run: datetime | None = None) -> bytes:
    chosen = chosen_items(spec, items, limit)
    fg = FeedGenerator()
    fg.id(f"{base_url}/feeds/{spec.slug}")
    fg.title(spec.title)
    fg.subtitle(spec.description)
    fg.language("de")
    fg.generator("ki-monitor")
    fg.author({"name": AUTHOR})  # RFC 4287 4.1.1: a feed without authors on every entry needs one
    # Library notes: the RSS channel link is the last link() call; self first, alternate last.
    fg.link(href=f"{base_url}/feeds/{spec.slug}.{FORMATS[fmt]}", rel="self")
    fg.link(href=f"{base_url}/feeds/", rel="alternate")
    built = newest_update(chosen, items, last_run)
    if fmt == "rss" and built is not None:
        fg.lastBuildDate(built)
    if built is not None:
        fg.updated(built)
    for item in chosen:
        fe = fg.add_entry(order="append")
        fe.id(item.guid)
        fe.guid(item.guid, permalink=False)
        fe.title(item.title)
        if item.link:
            fe.link(href=item.link, rel="alternate")
        for url in item.related:
            fe.link(href=url, rel="related")
        if fmt == "rss":
            fe.description(item.html)
        else:
            fe.content(item.html, type="html")
        fe.pubDate(item.published)
        fe.updated(item.updated)
        for term in item.categories:
            fe.category(term=clean(term))
    data = fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
    # feedgen stamps the clock into a feed without a date (RSS lastBuildDate, Atom updated):
    # an empty feed then changes bytes, ETag and Last-Modified on every run.
    return data if built is not None else _undated(data, fmt)


def chosen_items(spec: FeedSpec, items: list[Item], limit: int) -> list[Item]:
    return [i for i in items if spec.wants(i)][:limit]


def newest_update(chosen: list[Item], items: list[Item], last_run: datetime | None = None) -> datetime | None:
    """The feed's date from its data: its newest entry, else the newest entry of any feed, else
    the end of the last run; a database without any gives none."""
    return max((i.updated for i in chosen or items), default=last_run)


def _undated(data: bytes, fmt: str) -> bytes:
    """No date at all rather than an invented one: RSS's lastBuildDate is optional. Atom's
    ``updated`` is required (RFC 4287 4.1.1), so an Atom feed of a database that never ran
    keeps the build time feedgen gave it."""
    if fmt != "rss":
        return data
    root = etree.fromstring(data)
    for node in root.findall("channel/lastBuildDate"):
        node.getparent().remove(node)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def last_run_end(session: Session) -> datetime | None:
    end = session.scalar(select(func.max(Run.finished_at)))
    return aware(end).astimezone(UTC) if end else None


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename; skip when unchanged."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


@dataclass(frozen=True)
class FeedTarget:
    """Where and how a database's feeds are written: folder, public URL and settings, decided
    once from options and the configuration file (:meth:`monitor.config.Config.feed_target`)."""

    folder: Path
    base_url: str
    config: FeedConfig

    def write(self, session: Session, clock: Callable[[], datetime] = default_now) -> list[Path]:
        return write_feeds(session, self.folder, self.base_url, self.config, clock)


def write_feeds(session: Session, out_dir: Path, base_url: str, config: FeedConfig,
                clock: Callable[[], datetime] = default_now) -> list[Path]:
    """Every feed in every format; returns the paths (written or already up to date).

    ``base_url`` and ``config`` are required: a caller that forgets them would otherwise
    rewrite every feed with someone else's links and sizes."""
    items = collect_items(session, config, clock)
    last_run = last_run_end(session)
    written = []
    base = base_url.rstrip("/")
    for spec in feed_specs(config):
        for fmt, ext in FORMATS.items():
            path = out_dir / f"{spec.slug}.{ext}"
            write_atomic(path, build(spec, items, base, config.max_entries, fmt, last_run))
            written.append(path)
        path = out_dir / f"{spec.slug}.json"
        write_atomic(path, json_feed(spec, chosen_items(spec, items, config.max_entries), base))
        written.append(path)
    return written
