"""Text shown with structure but never as markup: evidence highlights and diffs as segments.

Both produce lists of ``(text, marked)`` pieces that templates render with autoescape, so a
scraped ``<script>`` stays text however it is cut.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from itertools import zip_longest

import lxml.html

Segments = list[tuple[str, bool]]

_QUOTED = re.compile(r"'([^']{3,})'")
_AMOUNT = re.compile(r"^amount (.+?) -> ")
_VISITOR = re.compile(r"^visitor: ([^(]+)")
MIN_NEEDLE = 3


def needles(evidence: list[str]) -> list[str]:
    """What the analysis points at in the text: quoted terms, cited sentences, amounts, names."""
    out: list[str] = []
    for item in evidence:
        item = str(item)
        if m := _AMOUNT.match(item):
            out.append(m[1])
            continue
        if m := _VISITOR.match(item):
            out.append(m[1].strip())
            continue
        out += _QUOTED.findall(item)
        if ": " in item:
            cited = item.split(": ", 1)[1].rstrip("…").strip()
            if len(cited) >= 12:  # a sentence, not a bare value like a date or a place
                out.append(cited)
    return [n for n in dict.fromkeys(out) if len(n) >= MIN_NEEDLE]


def highlight(text: str, evidence: list[str]) -> Segments:
    """The text cut into pieces, the evidence pieces marked (overlaps merged)."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for needle in needles(evidence):
        start, n = 0, needle.lower()
        while (i := lowered.find(n, start)) != -1:
            spans.append((i, i + len(n)))
            start = i + len(n)
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: Segments = []
    pos = 0
    for a, b in merged:
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < len(text):
        out.append((text[pos:], False))
    return out


@dataclass
class DiffRow:
    kind: str  # equal | replace | delete | insert | skip
    left: Segments | None
    right: Segments | None
    left_no: int | None = None
    right_no: int | None = None


def _word_diff(a: str, b: str) -> tuple[Segments, Segments]:
    ta, tb = re.findall(r"\s+|[^\s]+", a), re.findall(r"\s+|[^\s]+", b)
    left: Segments = []
    right: Segments = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            left.append(("".join(ta[i1:i2]), not same))
        if j2 > j1:
            right.append(("".join(tb[j1:j2]), not same))
    return left, right


def diff_rows(old: str, new: str, context: int = 2) -> list[DiffRow]:
    """Line-aligned rows for a side-by-side or inline view; changed words marked within lines.

    Long unchanged stretches collapse to a ``skip`` row so big pages stay readable.
    """
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            n = i2 - i1
            keep = range(n) if n <= 2 * context + 1 else [*range(context), -1, *range(n - context, n)]
            for k in keep:
                if k == -1:
                    rows.append(DiffRow("skip", [(f"{n - 2 * context} unveränderte Zeilen", False)], None))
                else:
                    rows.append(DiffRow("equal", [(a[i1 + k], False)], [(b[j1 + k], False)], i1 + k + 1, j1 + k + 1))
            continue
        pairs = zip_longest(range(i1, i2), range(j1, j2))
        for i, j in pairs:
            if i is not None and j is not None:
                left, right = _word_diff(a[i], b[j])
                rows.append(DiffRow("replace", left, right, i + 1, j + 1))
            elif i is not None:
                rows.append(DiffRow("delete", [(a[i], True)], None, i + 1, None))
            else:
                rows.append(DiffRow("insert", None, [(b[j], True)], None, j + 1))
    return rows


_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "article", "section",
           "header", "footer", "dt", "dd", "td", "th", "blockquote", "pre", "ul", "ol", "table"}
_INVISIBLE = ("script", "style", "template", "noscript", "head")


def visible_text(html: str) -> str:
    """What a browser shows of a page, one block (paragraph, list item, cell) per line.

    Listing pages have no extracted text; comparing their visible text shows a new release
    as a new line instead of "no differences".
    """
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - empty or non-HTML bodies have no visible text
        return ""
    for invisible in list(root.iter(*_INVISIBLE)):
        if invisible.getparent() is not None:
            invisible.drop_tree()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(el) -> None:
        block = isinstance(el.tag, str) and el.tag in _BLOCKS
        if block:
            flush()
        if isinstance(el.tag, str) and el.text:
            current.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return "\n".join(lines)
