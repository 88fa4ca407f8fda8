"""Reviewers' corrections: stored, winning over the analysis, exportable as labelled data.

A correction sets ``Release.corrected_label`` (the analysis keeps ``label``), is kept as a
``Correction`` row for the record, and moves the release to the right event at once, so
events and feeds follow it. The export writes documents in the format of
``shared/corpus/labelled`` so the rules can be measured and improved against them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.clock import now as default_now
from monitor.understand import Understanding
from storage.models import Correction, Release

LABELS = ("visit", "funding", "other", "irrelevant")


class CorrectionError(ValueError):
    pass


def correct(session: Session, release: Release, label: str, note: str | None = None,
            clock: Callable[[], datetime] = default_now) -> Correction:
    """Record a reviewer's label for ``release`` and regroup it into events accordingly."""
    if label not in LABELS:
        raise CorrectionError(f"unknown label {label!r}; one of {', '.join(LABELS)}")
    note = (note or "").strip()[:2000] or None
    correction = Correction(release_id=release.id, label=label, note=note, created_at=clock())
    session.add(correction)
    release.corrected_label = label
    session.flush()
    Understanding(session, clock).assign_event(release)
    return correction


def corrected_releases(session: Session) -> list[tuple[Release, Correction]]:
    """Each corrected release with its newest correction, oldest correction first."""
    newest = select(func.max(Correction.id)).group_by(Correction.release_id).scalar_subquery()
    rows = session.execute(select(Release, Correction).join(Correction, Correction.release_id == Release.id)
                           .where(Correction.id.in_(newest)).order_by(Correction.id)).all()
    return [(r, c) for r, c in rows]


def document(release: Release, correction: Correction) -> dict:
    """A labelled document as in ``shared/corpus/labelled``; only the label was reviewed."""
    label = correction.label
    why = f"label reviewed on {correction.created_at:%Y-%m-%d}: {release.label or 'unanalysed'} -> {label}"
    notes = f"{why}. {correction.note}" if correction.note else f"{why}."
    notes += " KI, visitors and amounts come from the analysis and were not reviewed."
    return {
        "id": f"r{release.id}",
        "url": release.url,
        "host": urlsplit(release.url).hostname or "",
        "published": release.published.isoformat() if release.published else None,
        "title": release.title,
        "text": release.text,
        "label": label,
        # The corpus' conventions: no KI for irrelevant, visitors only for visits, no money for irrelevant.
        "ki": [] if label == "irrelevant" else list(release.ki or []),
        "visitors": list(release.visitors or []) if label == "visit" else [],
        "amounts_eur": [] if label == "irrelevant" else list(release.amounts_eur or []),
        "notes": notes,
    }


def filename(doc: dict) -> str:
    host = re.sub(r"[^a-z0-9-]+", "-", doc["host"].lower().removeprefix("www.").replace(".", "-")).strip("-")
    return f"{doc['id']}_{host or 'unknown'}.json"


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export(session: Session, out_dir: Path) -> list[Path]:
    """Write one JSON document per corrected release into ``out_dir``; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for release, correction in corrected_releases(session):
        doc = document(release, correction)
        path = out_dir / filename(doc)
        path.write_text(dumps(doc), "utf-8")
        written.append(path)
    return written


def export_zip(session: Session) -> bytes:
    """The same documents as a zip (``labelled/*.json``), for the download link."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for release, correction in corrected_releases(session):
            doc = document(release, correction)
            zf.writestr(f"labelled/{filename(doc)}", dumps(doc))
    return buf.getvalue()
