"""Turn a fetched body (HTML in any charset, or PDF) into title, date, main text and language.

Runs in worker processes (see ``pipelines``), so it takes and returns plain data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

from scrapers.dates import find_published

XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Extracted:
    title: str | None = None
    text: str | None = None
    published: date | None = None
    language: str | None = None
    error: str | None = None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode with BOM, then the declared charset, falling back when the declaration lies.

    Sites often declare UTF-8 and send Windows-1252 (or the reverse); a strict decode tells us.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    declared = [
        resolve_encoding(e) for e in (http_content_type_encoding(content_type or ""),
                                      html_body_declared_encoding(body)) if e
    ]
    for encoding in [*declared, "utf-8", "cp1252"]:
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("cp1252", "replace")


def clean_text(text: str) -> str:
    text = XML_INVALID.sub("", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def extract_html(body: bytes, url: str, content_type: str | None, hints: dict[str, str] | None = None) -> Extracted:
    html = decode_html(body, content_type)
    hints = hints or {}
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        deduplicate=False, as_dict=False,  # True drops paragraphs seen in other pages
    )
    if doc is None or not doc.text:
        return Extracted(error="no main text found")
    text = clean_text(doc.text)
    title = clean_text(doc.title or "") or None
    if hints.get("body") or hints.get("title"):
        from parsel import Selector

        sel = Selector(text=html)
        if hints.get("body") and (parts := sel.css(hints["body"]).xpath("string()").getall()):
            text = clean_text("\n\n".join(parts))
        if hints.get("title") and (t := sel.css(hints["title"]).xpath("string()").get()):
            title = clean_text(t)
    published = find_published(text, html=html, url=url)
    if published is None and doc.date:
        published = date.fromisoformat(doc.date[:10])
    return Extracted(title=title, text=text, published=published, language=doc.language or _lang(html))


def _lang(html: str) -> str | None:
    m = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:2000])
    return m.group(1).lower() if m else None


PAGE_MARK = re.compile(r"^\s*Seite \d+ von \d+\s*$", re.M)


def extract_pdf(body: bytes, url: str) -> Extracted:
    """Text of a PDF press release: letterheads repeated on every page, page marks and the
    page breaks inside sentences are removed, so the text reads like the HTML version."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return Extracted(error=f"broken PDF: {exc}")
    if not any(p.strip() for p in pages):
        return Extracted(error="PDF without a text layer")
    page_lines = [[ln.strip() for ln in PAGE_MARK.sub("", p).splitlines() if ln.strip()] for p in pages]
    # A line on every page (letterhead, footer) is furniture, not text. Keep the first page's
    # copy of the head when it carries the date, so the date line survives.
    repeated = set.intersection(*(set(lines) for lines in page_lines)) if len(page_lines) > 1 else set()
    head = page_lines[0]
    date_line = next((ln for ln in head[:8] if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", ln)), None)
    body_lines = [ln for lines in page_lines for ln in lines if ln not in repeated]
    title = str(meta_title).strip() if meta_title else None
    text = _join_lines(body_lines)
    published = find_published(text if not date_line else f"{date_line}\n{text}", url=url)
    return Extracted(title=title or (body_lines[0] if body_lines else None), text=clean_text(text),
                     published=published, language="de")


def _join_lines(lines: list[str]) -> str:
    """Reflow wrapped PDF lines: a line that ends without sentence punctuation continues."""
    out: list[str] = []
    for line in lines:
        if out and not re.search(r"[.!?:“\"”)]$", out[-1]):
            joined = out[-1][:-1] + line if out[-1].endswith("-") and line[:1].islower() else f"{out[-1]} {line}"
            out[-1] = joined
        else:
            out.append(line)
    return "\n\n".join(out)


def is_pdf(body: bytes, content_type: str | None) -> bool:
    return body[:5] == b"%PDF-" or "pdf" in (content_type or "").lower()


def extract(body: bytes, url: str, content_type: str | None, hints: dict[str, str] | None = None) -> Extracted:
    """Extract a release from any body; never raises (errors come back in ``error``)."""
    try:
        if is_pdf(body, content_type):
            return extract_pdf(body, url)
        return extract_html(body, url, content_type, hints)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a crawl
        return Extracted(error=f"{type(exc).__name__}: {exc}")
