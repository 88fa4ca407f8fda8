"""What a spider hands to the pipelines: one fetched page with how it was found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class PageItem:
    source_id: str
    kind: str  # release | listing | feed | sitemap
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False
    listing_title: str | None = None
    listing_date: date | None = None
    hints: dict[str, str] = field(default_factory=dict)
    # Filled by ExtractPipeline for releases.
    title: str | None = None
    text: str | None = None
    published: date | None = None
    language: str | None = None
    error: str | None = None
