"""Pages with pictures: the map and small multiples on the overview, a page per KI (its
events, timeline, feed, sources and their health) and the tours of office holders.

Everything is computed from the stored events on each request (a few thousand light rows),
so the pictures always agree with the lists and the feeds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from monitor.clock import BERLIN, now
from monitor.health import source_health
from monitor.web import happenings as hp
from monitor.web import pictures
from monitor.web.queries import Filters
from monitor.web.tours import Tour, find_tours, tours_through
from scrapers.kis import KI, ki_by_name, load_kis
from scrapers.sources import slugify
from storage.models import Source

atlas_bp = Blueprint("atlas", __name__)
KI_EVENTS_SHOWN = 50
OVERVIEW_YEARS = 5  # the overview's small multiples; /zeitleisten has every year


def session():
    from monitor.web.review import db  # the review pages own the request's session

    return db()


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
    s = session()
    items = hp.happenings(s)
    chosen = hp.within(items, filters.date_from, filters.date_to)
    counts = ki_counts(chosen)
    tile_map = pictures.tile_map(counts, filters.label, period_text(filters.date_from, filters.date_to))
    years = pictures.year_range([h.day for h in items], today())
    base = filters.query_args(page=None, **{"from": None, "to": None})
    links = [(str(y), dict(base, **{"from": f"{y}-01-01", "to": f"{y}-12-31"})) for y in years]
    links.append(("alle Jahre", base))
    recent = years[-OVERVIEW_YEARS:]
    return OverviewPictures(tile_map, counts, recent, multiples(items, recent), links, len(find_tours(items)),
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
    items = hp.happenings(session())
    years = pictures.year_range([h.day for h in items], today())
    return render_template("review/timelines.html", grid=multiples(items, years), years=years)


def ki_of(slug: str) -> KI:
    found = next((k for k in load_kis() if slugify(k.name) == slug), None)
    return found or abort(404, "unbekanntes Kommunales Integrationszentrum")


@atlas_bp.get("/ki/<slug>")
def ki_page(slug: str):
    ki = ki_of(slug)
    s = session()
    items = hp.happenings(s)
    mine = [h for h in items if ki.name in h.kis]
    years = pictures.year_range([h.day for h in items], today())
    strip = pictures.month_strip(hp.monthly(mine, hp.other_mentions(s), ki.name), years,
                                 f"Meldungen über das KI {ki.name} je Monat")
    counts = Counter(h.label for h in mine)
    watched = list(s.scalars(select(Source).where(Source.ki == ki.name).order_by(Source.id)))
    health = source_health(s)
    tours = tours_through(find_tours(items), ki.name)
    return render_template("review/ki.html", ki=ki, slug=slug, strip=strip, counts=counts,
                           events=list(reversed(mine))[:KI_EVENTS_SHOWN], total=len(mine),
                           sources=[(src, health.get(src.id)) for src in watched], tours=tours,
                           map=pictures.tile_map(ki_counts(mine), None, "insgesamt"))


@atlas_bp.get("/tours")
def tours_page():
    tours = find_tours(hp.happenings(session()))
    return render_template("review/tours.html", tours=tours)


@atlas_bp.get("/tour/<slug>")
def tour_page(slug: str):
    items = hp.happenings(session())
    tour: Tour = next((t for t in find_tours(items) if t.slug == slug), None) or abort(404, "keine solche Reise")
    counts = ki_counts(list(tour.stops))
    tile_map = pictures.tile_map(counts, "visit", f"{period_text(tour.start, tour.end)}, {tour.person}",
                                 route=tour.kis)
    return render_template("review/tour.html", tour=tour, map=tile_map)


@atlas_bp.app_template_global("rv_rb")
def regierungsbezirk_of(name: str) -> str:
    ki = ki_by_name().get(name)
    return ki.regierungsbezirk if ki else "–"
