"""Validates the blind test set, so that a malformed document is caught before anyone scores on it.

The blind documents are written by hand; a typo in a KI name, visitors on a funding item or an
unparseable date would silently turn into a wrong gold label. Run it as a script
(``python tests/data/blind/check.py``, exit status 1 on problems) or import ``problems_in_set``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

BLIND_DIR = Path(__file__).resolve().parent
# The project's copy of the 54 KIs (identical names to ../shared/ki_registry.json).
REGISTRY_PATH = BLIND_DIR.parents[2] / "scrapers" / "data" / "ki_registry.json"

LABELS = ("visit", "funding", "other", "irrelevant")
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "url": (str,),
    "host": (str,),
    "published": (str, type(None)),
    "title": (str,),
    "text": (str,),
    "label": (str,),
    "ki": (list,),
    "visitors": (list,),
    "amounts_eur": (list,),
    "notes": (str,),
}
TEXT_LENGTH = range(600, 4001)
PUBLISHED_YEARS = range(2012, 2027)
FILE_NAME = re.compile(r"^(b\d{3})_[a-z0-9-]+\.json$")
VISITOR = re.compile(r"^[^()]+\S \(.+\)$")


def registered_ki_names(registry_path: Path = REGISTRY_PATH) -> frozenset[str]:
    """The official names a document's `ki` field may use."""
    registry = json.loads(registry_path.read_text(encoding="utf-8"))
    return frozenset(entry["name"] for entry in registry["kis"])


def problems_in_document(path: Path, ki_names: frozenset[str]) -> list[str]:
    """Every way one document file breaks the format; empty when it is well-formed."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"{path.name}: not readable JSON ({error})"]
    if not isinstance(document, dict):
        return [f"{path.name}: top level is not an object"]
    problems = _field_problems(document)
    if problems:
        return [f"{path.name}: {problem}" for problem in problems]
    problems = (
        _name_problems(path, document)
        + _date_problems(document)
        + _label_problems(document, ki_names)
    )
    return [f"{path.name}: {problem}" for problem in problems]


def problems_in_set(directory: Path = BLIND_DIR, ki_names: frozenset[str] | None = None) -> list[str]:
    """Problems of every `b*.json` document in `directory`, plus ids used twice."""
    names = registered_ki_names() if ki_names is None else ki_names
    paths = sorted(directory.glob("b*.json"))
    problems = [problem for path in paths for problem in problems_in_document(path, names)]
    seen: dict[str, str] = {}
    for path in paths:
        match = FILE_NAME.match(path.name)
        if match is None:
            continue
        if match.group(1) in seen:
            problems.append(f"{path.name}: id {match.group(1)} also used by {seen[match.group(1)]}")
        seen.setdefault(match.group(1), path.name)
    return problems


def _field_problems(document: dict[str, Any]) -> list[str]:
    problems = [f"missing field {name!r}" for name in FIELD_TYPES if name not in document]
    problems += [f"unexpected field {name!r}" for name in document if name not in FIELD_TYPES]
    for name, types in FIELD_TYPES.items():
        if name in document and not isinstance(document[name], types):
            problems.append(f"field {name!r} has type {type(document[name]).__name__}")
    if problems:
        return problems
    for name in ("ki", "visitors"):
        if not all(isinstance(item, str) and item.strip() for item in document[name]):
            problems.append(f"field {name!r} must hold non-empty strings")
        if len(set(document[name])) != len(document[name]):
            problems.append(f"field {name!r} repeats an entry")
    if not all(_is_amount(item) for item in document["amounts_eur"]):
        problems.append("field 'amounts_eur' must hold positive numbers of euros")
    for name in ("id", "url", "host", "title", "notes"):
        if not document[name].strip():
            problems.append(f"field {name!r} is empty")
    if len(document["text"]) not in TEXT_LENGTH:
        problems.append(f"text has {len(document['text'])} characters, not 600-4000")
    return problems


def _is_amount(item: object) -> bool:
    return isinstance(item, int | float) and not isinstance(item, bool) and item > 0


def _name_problems(path: Path, document: dict[str, Any]) -> list[str]:
    problems = []
    match = FILE_NAME.match(path.name)
    if match is None:
        problems.append("file name is not bNNN_<host>.json")
    elif match.group(1) != document["id"]:
        problems.append(f"id {document['id']!r} does not match the file name")
    url = urlparse(document["url"])
    if url.scheme not in ("http", "https") or not url.netloc:
        problems.append(f"url {document['url']!r} is not an absolute http(s) address")
    elif url.netloc != document["host"]:
        problems.append(f"host {document['host']!r} is not the url's host {url.netloc!r}")
    return problems


def _date_problems(document: dict[str, Any]) -> list[str]:
    published = document["published"]
    if published is None:
        return []
    try:
        date = dt.date.fromisoformat(published)
    except ValueError:
        return [f"published {published!r} is not an ISO date"]
    if len(published) != 10:
        return [f"published {published!r} is not in the form YYYY-MM-DD"]
    if date.year not in PUBLISHED_YEARS:
        return [f"published {published!r} lies outside 2012-2026"]
    return []


def _label_problems(document: dict[str, Any], ki_names: frozenset[str]) -> list[str]:
    label = document["label"]
    if label not in LABELS:
        return [f"label {label!r} is not one of {', '.join(LABELS)}"]
    problems = [f"ki {name!r} is not a registry name" for name in document["ki"] if name not in ki_names]
    if label == "visit" and not document["visitors"]:
        problems.append("a visit names no visitor")
    if label != "visit" and document["visitors"]:
        problems.append(f"visitors given on a {label!r} document")
    problems += [
        f"visitor {visitor!r} is not 'Name (Rolle)'"
        for visitor in document["visitors"]
        if not VISITOR.match(visitor)
    ]
    if label == "irrelevant" and document["amounts_eur"]:
        problems.append("amounts given on an irrelevant document")
    if label == "irrelevant" and document["ki"]:
        problems.append("KIs given on an irrelevant document")
    return problems


def main() -> int:
    problems = problems_in_set()
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(list(BLIND_DIR.glob("b*.json")))
    print(f"{count} documents, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
