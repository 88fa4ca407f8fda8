"""Pages with pictures: the map and small multiples on the overview, a page per KI (its
events, timeline, feed, sources and their health) and the tours of office holders.

Everything is computed from the stored events (a few thousand light rows), read again
whenever the database changed, so the pictures always agree with the lists and the feeds.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select
from sqlalchemy.engine import make_url

from monitor.clock import BERLIN, now
from monitor.health import source_health
from monitor.web import happenings as hp
from monitor.web import pictures
from monitor.web.queries import Filters
from monitor.web.tours import Tour, find_tours, tours_through
from scrapers.kis import KI, ki_by_name, load_kis
from scrapers.sources import slugify
from storage.db import resolve_url
from storage.models import Source

atlas_bp = Blueprint("atlas", __name__)
KI_EVENTS_SHOWN = 50
OVERVIEW_YEARS = 5  # the overview's small multiples; /zeitleisten has every year


def session():
    from monitor.web.review import db  # the review pages own the request's session

    return db()


@dataclass(frozen=True)
class Stored:
    items: list[hp.Happening]
    tours: list[Tour]


def database_stamp() -> tuple | None:
    """A stamp of the SQLite files that moves with every commit (a commit appends to the WAL, a
    checkpoint rewrites the main file); None for other databases, which are read every time."""
    url = make_url(resolve_url(current_app.config["KI"].db))
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    stamps = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(url.database + suffix)
            stamps.append((st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stamps.append(None)
    return tuple(stamps)


def stored() -> Stored:
    """The events and tours, read once per change of the database (stamped before reading, so
    a commit during the read only makes the next request read again)."""
    stamp = database_stamp()
    cached = current_app.extensions.get("pictures")
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    items = hp.happenings(session())
    found = Stored(items, find_tours(items))
    current_app.extensions["pictures"] = (stamp, found)
    return found


def today() -> date:
    return now().astimezone(BERLIN).date()


def period_text(start: date | None, end: date | None) -> str:
    de = "%d.%m.%Y"
    if start and end:
        return f"{start:{de}}–{end:{de}}"
    if start:
        return f"seit {start:{de}}"
    if end:
        return f"bis {end:{de}}"
    return "insgesamt"


def ki_counts(items: list[hp.Happening]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for h in items:
        for k in h.kis:
            out.setdefault(k, Counter())[h.label] += 1
    return out


@dataclass
class OverviewPictures:
    map: pictures.TileMap
    counts: dict[str, Counter[str]]
    years: list[int]
    grid: list[tuple[str, str, list[pictures.Strip]]]
    year_links: list[tuple[str, dict[str, str]]]
    tours: int
    more_years: bool  # earlier years are on /zeitleisten


def overview_pictures(filters: Filters) -> OverviewPictures:
    """The map for the overview's period and kind, and all KIs × years as small multiples."""
    data = stored()
    items = data.items
    chosen = hp.within(items, filters.date_from, filters.date_to)
    counts = ki_counts(chosen)
    tile_map = pictures.tile_map(counts, filters.label, period_text(filters.date_from, filters.date_to))
    years = pictures.year_range([h.day for h in items], today())
    base = filters.query_args(page=None, **{"from": None, "to": None})
    links = [(str(y), dict(base, **{"from": f"{y}-01-01", "to": f"{y}-12-31"})) for y in years]
    links.append(("alle Jahre", base))
    recent = years[-OVERVIEW_YEARS:]
    return OverviewPictures(tile_map, counts, recent, multiples(items, recent), links, len(data.tours),
                            len(years) > len(recent))


def multiples(items: list[hp.Happening], years: list[int]) -> list[tuple[str, str, list[pictures.Strip]]]:
    """Every KI × every year: a strip of months on one scale for all cells."""
    per_ki: dict[str, dict] = {k.name: {} for k in load_kis()}
    for h in items:
        if h.day.year in years:
            for k in h.kis:
                if k in per_ki:
                    per_ki[k].setdefault((h.day.year, h.day.month), Counter())[h.label] += 1
    scale = max((c["visit"] + c["funding"] for m in per_ki.values() for c in m.values()), default=0)
    return [(ki, slugify(ki), [pictures.month_strip(per_ki[ki], [y], f"{ki} {y}", step=6, height=24,
                                                    kinds=("visit", "funding"), labels=False, scale=scale,
                                                    sparse=True) for y in years])
            for ki in sorted(per_ki)]


@atlas_bp.get("/zeitleisten")
def timelines_page():
    items = stored().items
    years = pictures.year_range([h.day for h in items], today())
    return render_template("review/timelines.html", grid=multiples(items, years), years=years)


def ki_of(slug: str) -> KI:
    found = next((k for k in load_kis() if slugify(k.name) == slug), None)
    return found or abort(404, "unbekanntes Kommunales Integrationszentrum")


@atlas_bp.get("/ki/<slug>")
def ki_page(slug: str):
    ki = ki_of(slug)
    s, data = session(), stored()
    items = data.items
    mine = [h for h in items if ki.name in h.kis]
    years = pictures.year_range([h.day for h in items], today())
    strip = pictures.month_strip(hp.monthly(mine, hp.other_mentions(s), ki.name), years,
                                 f"Meldungen über das KI {ki.name} je Monat")
    counts = Counter(h.label for h in mine)
    watched = list(s.scalars(select(Source).where(Source.ki == ki.name).order_by(Source.id)))
    health = source_health(s)
    tours = tours_through(data.tours, ki.name)
    return render_template("review/ki.html", ki=ki, slug=slug, strip=strip, counts=counts,
                           events=list(reversed(mine))[:KI_EVENTS_SHOWN], total=len(mine),
                           sources=[(src, health.get(src.id)) for src in watched], tours=tours,
                           map=pictures.tile_map(ki_counts(mine), None, "insgesamt"))


@atlas_bp.get("/tours")
def tours_page():
    return render_template("review/tours.html", tours=stored().tours)


@atlas_bp.get("/tour/<slug>")
def tour_page(slug: str):
    tour: Tour = next((t for t in stored().tours if t.slug == slug), None) or abort(404, "keine solche Reise")
    counts = ki_counts(list(tour.stops))
    tile_map = pictures.tile_map(counts, "visit", f"{period_text(tour.start, tour.end)}, {tour.person}",
                                 route=tour.kis)
    return render_template("review/tour.html", tour=tour, map=tile_map)


@atlas_bp.app_template_global("rv_rb")
def regierungsbezirk_of(name: str) -> str:
    ki = ki_by_name().get(name)
    return ki.regierungsbezirk if ki else "–"
