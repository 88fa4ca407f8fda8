"""The press-release texts the demo sites publish (bundled copies of the shared corpus)."""

from __future__ import annotations

import json
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
        # Pages without a printed date get a fixed made-up one: the demo page prints it.
        published = date.fromisoformat(d["published"]) if d["published"] else date(2019, 1, 7) + timedelta(days=37 * i)
        out[d["id"]] = Document(d["id"], d["title"], d["text"], published, d["label"], tuple(d["ki"]))
    return out
