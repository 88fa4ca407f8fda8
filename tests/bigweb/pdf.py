"""Press releases as PDF files, written by hand (no reportlab at test time), as ministries upload them.

Each page repeats the letterhead; lines are wrapped with hyphenated word breaks
(``Integra-`` / ``tionszentrum``) the way word processors export them; ``truncated`` cuts the
file mid-stream like a failed upload.
"""

from __future__ import annotations

LINE_WIDTH = 78
VOWELS = set("aeiouäöüyAEIOUÄÖÜ")


def break_point(word: str, room: int) -> int | None:
    """Where a word processor would hyphenate: before a consonant that opens a syllable."""
    for k in range(min(room, len(word) - 3), 2, -1):
        starts_syllable = word[k] not in VOWELS and word[k + 1] in VOWELS
        if starts_syllable and word[k - 1:k + 1].lower() not in ("sc", "ch", "ck"):
            return k
    return None


def wrap_hyphenated(text: str, width: int = LINE_WIDTH) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        room = width - len(current) - 2
        split = break_point(word, room) if len(word) >= 8 and word.isalpha() else None
        if split:
            lines.append(f"{current} {word[:split]}-".strip())
            current = word[split:]
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _page_stream(letterhead: list[str], lines: list[str]) -> bytes:
    out = [b"BT /F1 9 Tf 56 800 Td 12 TL"]
    out += [b"(" + _escape(line) + b") Tj T*" for line in letterhead]
    out.append(b"/F1 11 Tf 0 -20 Td 14 TL")
    out += [b"(" + _escape(line) + b") Tj T*" for line in lines]
    out.append(b"ET")
    return b"\n".join(out)


def pdf_bytes(letterhead: list[str], pages: list[list[str]], truncated: bool = False) -> bytes:
    """A valid PDF 1.4 with one Helvetica (WinAnsi) font; umlauts survive text extraction."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for i, lines in enumerate(pages):
        stream = _page_stream(letterhead, lines)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(body[: len(body) * 11 // 20]) if truncated else bytes(body)
