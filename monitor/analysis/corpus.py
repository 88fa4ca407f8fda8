"""Reading a labelled corpus in the format of ``shared/corpus``, and splitting it honestly.

Accepted: a directory of labelled JSON documents (``corpus/labelled``), the corpus root (its
``labelled/`` plus the seeds named in ``seeds_labelled.json``, texts in ``../seeds``), or the
seeds directory itself.

Why the split lives here: a figure measured on the documents the rules were written from says
nothing about unseen pages. Two blind parts, each fixed by rule before the rules measured on
it were written:

- the shared corpus: a labelled document numbered above :data:`RULE_WRITING_LAST` whose host
  no rule-writing document shares, and whose host hashes even under :data:`BLIND_SALT`
  (decided from hosts only, before analysis 2026.1 wrote a single rule);
- the project's own blind set (``tests/data/blind``, ``bNNN``, written independently of the
  code): documents numbered :data:`BLIND_SET_FIRST` or above (decided by number before
  analysis 2026.2 wrote a rule); b001-b049 are its development part.

Blind texts are never read while writing rules; only their aggregate figures are printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import Document

# d001-d050 were the documents the rules up to analysis 2025.3 were written from.
RULE_WRITING_LAST = 50
BLIND_SALT = "blind-2026-12"
BLIND_NOTE = (
    "blind: hosts unseen in d001-d050, chosen by a salted hash of the host before any rule of "
    "analysis 2026.1 was written; their texts were never read for rule-writing"
)
# The blind set's documents b050 and above were never read while writing analysis 2026.2.
BLIND_SET_FIRST = 50
BLIND_SET_NOTE = (
    f"blind: b{BLIND_SET_FIRST:03d} and above, fixed by number before any rule of analysis "
    "2026.2 was written; their texts were never read for rule-writing"
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
    host: str = ""
    blind: bool = False

    @property
    def number(self) -> int | None:
        """The number of a shared-corpus document (``d017`` -> 17)."""
        m = re.fullmatch(r"d(\d+)", self.id)
        return int(m[1]) if m else None

    @property
    def blind_set_number(self) -> int | None:
        """The number of a blind-set document (``b017`` -> 17)."""
        m = re.fullmatch(r"b(\d+)", self.id)
        return int(m[1]) if m else None


def host_is_drawn_blind(host: str) -> bool:
    """The salted coin flip for one host (even hash: blind)."""
    digest = hashlib.sha256((BLIND_SALT + host).encode()).hexdigest()
    return int(digest, 16) % 2 == 0


def mark_blind(golds: list[Gold]) -> list[Gold]:
    """Set ``blind`` on documents after d050 whose host no rule-writing document has and
    whose host is drawn blind, and on blind-set documents b050 and above. Seeds, d001-d050
    and b001-b049 are never blind."""
    seen = {g.host for g in golds if g.number is not None and g.number <= RULE_WRITING_LAST}
    for g in golds:
        in_set = g.blind_set_number
        g.blind = (in_set is not None and in_set >= BLIND_SET_FIRST) or (
            g.number is not None
            and g.number > RULE_WRITING_LAST
            and g.host not in seen
            and host_is_drawn_blind(g.host)
        )
    return golds


def blind_note(golds: list[Gold]) -> str:
    """How the blind documents among ``golds`` were chosen."""
    notes = []
    if any(g.blind and g.number is not None for g in golds):
        notes.append(BLIND_NOTE)
    if any(g.blind and g.blind_set_number is not None for g in golds):
        notes.append(BLIND_SET_NOTE)
    return "; ".join(notes)


def blind_part(golds: list[Gold]) -> list[int]:
    return [i for i, g in enumerate(golds) if g.blind]


def development_part(golds: list[Gold]) -> list[int]:
    return [i for i, g in enumerate(golds) if not g.blind]


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
                        d.get("visitors", []), d.get("amounts_eur", []), _date(d.get("published")),
                        d.get("host", "")))  # fmt: skip
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
                        s.get("visitors", []), s.get("amounts_eur", []), _date(s.get("published")),
                        host[0] if host else ""))  # fmt: skip
    return out


def _load(p: Path) -> list[Gold]:
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


def load(path: str | Path) -> list[Gold]:
    return mark_blind(_load(Path(path)))
