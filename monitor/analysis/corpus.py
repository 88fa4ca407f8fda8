"""Reading a labelled corpus in the format of ``shared/corpus``.

Accepted: a directory of labelled JSON documents (``corpus/labelled``), the corpus root (its
``labelled/`` plus the seeds named in ``seeds_labelled.json``, texts in ``../seeds``), or the
seeds directory itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import Document

# Kept out of rule-writing: every 5th labelled document by number (d005, d010, ... d050).
HOLDOUT_EVERY = 5
# Blind up to analysis 2025.2 (label accuracy 0.700, macro-F1 0.529). 2025.3 fixed the error
# classes diagnosed there (from their descriptions, not the texts): since then the held-out
# figures are no longer an unbiased estimate for unseen pages.
HOLDOUT_NOTE = (
    "not blind since analysis 2025.3: rules were fixed for the error classes found here "
    "(blind result with 2025.2: label accuracy 0.700, macro-F1 0.529)"
)


@dataclass
class Gold:
    id: str
    doc: Document
    label: str
    ki: list[str]
    visitors: list[str]
    amounts_eur: list[float]
    published: dt.date | None

    @property
    def held_out(self) -> bool:
        m = re.fullmatch(r"d(\d+)", self.id)
        return bool(m) and int(m[1]) % HOLDOUT_EVERY == 0


def _date(v: str | None) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def _labelled(path: Path) -> list[Gold]:
    out = []
    for f in sorted(path.glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        if not isinstance(d, dict) or "label" not in d:
            continue
        doc = Document(url=d.get("url", ""), title=d.get("title", ""), text=d.get("text", ""),
                       html=d.get("html"))  # fmt: skip
        out.append(Gold(d.get("id", f.stem), doc, d["label"], d.get("ki", []),
                        d.get("visitors", []), d.get("amounts_eur", []), _date(d.get("published"))))  # fmt: skip
    return out


def _seeds(labels: Path, texts: Path) -> list[Gold]:
    out = []
    for s in json.loads(labels.read_text("utf-8")):
        f = texts / s["seed"]
        if not f.exists():
            continue
        urls = re.findall(r"https?://\S+", s.get("site", ""))
        host = re.match(r"[\w.-]+\.\w+", s.get("site", ""))
        url = urls[0] if urls else (f"https://{host[0]}/" if host else "")
        doc = Document(url=url, title="", text=f.read_text("utf-8"))
        out.append(Gold(f"seed{s['seed'][:3]}", doc, s["label"], s.get("ki", []),
                        s.get("visitors", []), s.get("amounts_eur", []), _date(s.get("published"))))  # fmt: skip
    return out


def load(path: str | Path) -> list[Gold]:
    p = Path(path)
    if (p / "seeds_labelled.json").exists():
        found = _seeds(p / "seeds_labelled.json", p.parent / "seeds")
        if (p / "labelled").is_dir():
            found += _labelled(p / "labelled")
        return found
    if list(p.glob("*.txt")):
        labels = next((c for c in (p / "seeds_labelled.json", p.parent / "corpus" / "seeds_labelled.json")
                       if c.exists()), None)  # fmt: skip
        if labels:
            return _seeds(labels, p)
    return _labelled(p)
