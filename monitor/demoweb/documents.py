"""The press-release texts the demo sites publish (bundled copies of the shared corpus)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    published: date
    label: str
    ki: tuple[str, ...]

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n") if p.strip()]


@cache
def documents() -> dict[str, Document]:
    raw = json.loads(resources.files("monitor.demoweb").joinpath("data/documents.json").read_text("utf-8"))
    out = {}
    for i, d in enumerate(raw["documents"]):
        published = date.fromisoformat(d["published"]) if d["published"] else _plausible_date(d["text"], i)
        out[d["id"]] = Document(d["id"], d["title"], d["text"], published, d["label"], tuple(d["ki"]))
    return out


def _plausible_date(text: str, i: int) -> date:
    """A page without a printed date gets one for the demo: the day after the latest date its
    text mentions (the event it reports), else a fixed made-up one."""
    from scrapers.dates import DATE_RE, parse_german_date

    mentioned = [d for m in DATE_RE.finditer(text) if (d := parse_german_date(m.group(0))) and d.year <= 2026]
    if mentioned:
        return max(mentioned) + timedelta(days=1)
    years = [int(y) for y in re.findall(r"\b(20[012]\d)\b", text) if int(y) <= 2026]
    # Else a made-up day in the latest year it names ("Chancentour 2025"), or a fixed one.
    return date(max(years), 1 + i % 12, 1 + i % 27) if years else date(2019, 1, 7) + timedelta(days=37 * i)
