"""Pictures as data: the NRW tile map, month strips and small multiples laid out in numbers
(positions, colours, titles) that the templates write as SVG.

The server draws everything, so pages stay script-free under the strict CSP; colours are SVG
attributes, never inline styles. Every shape carries a ``<title>`` with its numbers, and every
picture has a table behind it built from the same numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from scrapers.kis import ki_by_name
from scrapers.sources import slugify

CELL = 60  # one grid step of the map
TILE = 56  # a tile inside its cell
MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
               "Oktober", "November", "Dezember")
NOTHING = "#eeeeee"
RAMPS = {  # light to dark, five steps; readable text on each (dark text on the first two)
    "visit": ("#d4ecd9", "#a3d4ae", "#62b174", "#2e8a47", "#14592a"),
    "funding": ("#f6e3bd", "#ecc477", "#d69b2e", "#a86e0c", "#6b4500"),
    None: ("#d6e6f5", "#a5c8ea", "#5f9bd6", "#2b6cb0", "#143f6e"),
}
KIND_COLOURS = {"visit": "#1f7a3a", "funding": "#b07a10", "other": "#8a8a8a"}
RB_COLOURS = {"Arnsberg": "#7b2d8b", "Detmold": "#1b6f8a", "Düsseldorf": "#b3261e", "Köln": "#1d1d1f",
              "Münster": "#2f6d1f"}
KIND_WORDS = {"visit": ("Besuch", "Besuche"), "funding": ("Förderung", "Förderungen"),
              "other": ("sonstige Meldung", "sonstige Meldungen")}


def counted(n: int, kind: str) -> str:
    one, many = KIND_WORDS[kind]
    return f"{n} {one if n == 1 else many}"


# -- the map ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TilePlace:
    ki: str
    col: int
    row: int
    short: str


@cache
def tile_places() -> dict[str, TilePlace]:
    raw = json.loads(resources.files("monitor.web").joinpath("data/nrw_tiles.json").read_text("utf-8"))
    return {t["ki"]: TilePlace(t["ki"], t["col"], t["row"], t["short"]) for t in raw["tiles"]}


@dataclass(frozen=True)
class MapTile:
    ki: str
    short: str
    slug: str
    x: int
    y: int
    fill: str
    dark: bool  # white text on it
    count: int
    title: str


@dataclass(frozen=True)
class LegendStep:
    fill: str
    text: str


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    tiles: list[MapTile]
    outlines: list[tuple[str, str, str]]  # (Regierungsbezirk, colour, path)
    legend: list[LegendStep]
    caption: str
    route: str | None = None  # SVG path through the tiles, in order
    stops: list[tuple[int, int, int]] | None = None  # (x, y, number) of each stop


def shade(count: int, most: int, measure: str | None) -> tuple[str, bool]:
    """The colour of a count, on five steps up to the highest count shown."""
    if count <= 0 or most <= 0:
        return NOTHING, False
    step = min(4, (count * 5 - 1) // most)
    return RAMPS[measure][step], step >= 2


def legend(most: int, measure: str | None) -> list[LegendStep]:
    steps = [LegendStep(NOTHING, "0")]
    if most <= 0:
        return steps
    bounds = sorted({max(1, (i * most + 4) // 5) for i in range(1, 6)})
    low = 1
    for high in bounds:
        if high < low:
            continue
        steps.append(LegendStep(shade(high, most, measure)[0], str(low) if low == high else f"{low}–{high}"))
        low = high + 1
    return steps


def tile_map(counts: dict[str, Counter[str]], measure: str | None, period: str,
             route: list[str] | None = None) -> TileMap:
    """The 54 KIs coloured by ``measure`` (visit, funding or both); each tile's title names
    both counts for ``period``. ``route`` is a list of KIs to connect in order (a tour)."""
    places = tile_places()
    value = {ki: (c[measure] if measure else c["visit"] + c["funding"]) for ki, c in counts.items()}
    most = max(value.values(), default=0)
    tiles = []
    for ki, p in sorted(places.items(), key=lambda kv: (kv[1].row, kv[1].col)):
        c = counts.get(ki, Counter())
        fill, dark = shade(value.get(ki, 0), most, measure)
        tiles.append(MapTile(ki, p.short, slugify(ki), p.col * CELL + 2, p.row * CELL + 2, fill, dark,
                             value.get(ki, 0),
                             f"{ki}: {counted(c['visit'], 'visit')}, {counted(c['funding'], 'funding')} ({period})"))
    cols = max(p.col for p in places.values()) + 1
    rows = max(p.row for p in places.values()) + 1
    what = {"visit": "Besuche", "funding": "Förderungen", None: "Besuche und Förderungen"}[measure]
    route_path = stops = None
    if route:
        # through the tiles' upper left corners, clear of their labels
        points = [(places[k].col * CELL + 13, places[k].row * CELL + 13) for k in route if k in places]
        route_path = "M" + " L".join(f"{x} {y}" for x, y in points)
        stops = [(x, y, i) for i, (x, y) in enumerate(points, 1)]
    return TileMap(cols * CELL, rows * CELL, tiles, outlines(), legend(most, measure),
                   f"Karte der 54 Kommunalen Integrationszentren in NRW: {what} {period}", route_path, stops)


@cache
def outlines() -> list[tuple[str, str, str]]:
    """The border of each Regierungsbezirk along the grid: every tile side whose neighbour lies
    in another Bezirk (or is sea of empty grid)."""
    places = tile_places()
    where = {(p.col, p.row): ki_by_name()[ki].regierungsbezirk for ki, p in places.items()}
    paths: dict[str, list[str]] = {}
    for (col, row), rb in where.items():
        x, y = col * CELL, row * CELL
        sides = {(0, -1): (x, y, x + CELL, y), (0, 1): (x, y + CELL, x + CELL, y + CELL),
                 (-1, 0): (x, y, x, y + CELL), (1, 0): (x + CELL, y, x + CELL, y + CELL)}
        for (dc, dr), (x1, y1, x2, y2) in sides.items():
            if where.get((col + dc, row + dr)) != rb:
                paths.setdefault(rb, []).append(f"M{x1} {y1}H{x2}" if y1 == y2 else f"M{x1} {y1}V{y2}")
    return [(rb, RB_COLOURS.get(rb, "#333"), "".join(parts)) for rb, parts in sorted(paths.items())]


# -- timelines -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    fill: str


@dataclass(frozen=True)
class MonthColumn:
    year: int
    month: int
    x: int
    counts: Counter[str]
    bars: list[Bar]

    @property
    def title(self) -> str:
        return (f"{MONTH_NAMES[self.month - 1]} {self.year}: " +
                ", ".join(counted(n, k) for k, n in self.counts.items()))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Strip:
    width: int
    height: int
    baseline: int
    columns: list[MonthColumn]
    years: list[tuple[int, int]]  # (year, x of its first month)
    most: int
    caption: str


def month_strip(per_month: dict[tuple[int, int], Counter[str]], years: list[int], caption: str,
                step: int = 12, height: int = 60, kinds: tuple[str, ...] = tuple(KIND_WORDS),
                labels: bool = True, scale: int | None = None, sparse: bool = False) -> Strip:
    """One stacked bar per month of ``years`` (visits at the bottom, then funding, then other);
    ``scale`` is the count of a full-height bar (small multiples share one); ``sparse`` leaves
    out the months without any count (hundreds of small strips stay light)."""
    most = scale if scale is not None else max((sum(c[k] for k in kinds) for c in per_month.values()), default=0)
    columns = []
    for i, (year, month) in enumerate((y, m) for y in years for m in range(1, 13)):
        counts = per_month.get((year, month))
        if counts is None:
            if sparse:
                continue
            counts = Counter()
        bars, top = [], height
        for kind in kinds:
            if counts[kind] and most:
                h = max(2, round(counts[kind] * (height - 4) / most))
                top -= h
                bars.append(Bar(i * step + 1, top, h, KIND_COLOURS[kind]))
        counts = Counter({k: counts[k] for k in kinds})
        columns.append(MonthColumn(year, month, i * step, counts, bars))
    footer = 16 if labels else 0
    return Strip(len(years) * 12 * step, height + footer, height, columns,
                 [(y, i * 12 * step) for i, y in enumerate(years)], most, caption)


def year_range(days: list[date], today: date) -> list[int]:
    """The years to draw: from the first event's year to this year (at least this year)."""
    first = min(days).year if days else today.year
    last = max([today.year, *(d.year for d in days)])
    return list(range(first, last + 1))
