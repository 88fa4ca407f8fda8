"""Turn a fetched body (HTML in any charset, or PDF) into title, date, main text and language.

Runs in worker processes (see ``pipelines``), so it takes and returns plain data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import trafilatura

from scrapers.dates import find_published
from scrapers.encoding import decode_html

MIN_TEXT = 40  # fewer characters of main text: a menu or an error page, not a release
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Extracted:
    title: str | None = None
    text: str | None = None
    published: date | None = None
    language: str | None = None
    error: str | None = None


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
    body_ld = json_ld_article_body(html)
    if body_ld and (doc is None or not doc.text or len(body_ld) > len(doc.text.strip())):
        # Newspaper pages behind a paywall: the HTML shows a teaser, JSON-LD the whole text.
        text, title = clean_text(body_ld), clean_text((doc.title if doc else None) or "") or None
    elif doc is None or not doc.text or len(doc.text.strip()) < MIN_TEXT:
        return Extracted(error="no main text found" + (f" (only {len(doc.text.strip())} characters)" if doc and doc.text else ""))
    else:
        text = clean_text(doc.text)
        title = clean_text(doc.title or "") or None
    if hints.get("body") or hints.get("title"):
        from parsel import Selector

        sel = Selector(text=html)
        if hints.get("body") and (parts := sel.css(hints["body"]).xpath("string()").getall()):
            text = clean_text("\n\n".join(parts))
        if hints.get("title") and (t := sel.css(hints["title"]).xpath("string()").get()):
            title = clean_text(t)
    lead = [ln for ln in _lead_lines(html) if ln not in text]
    # No fallback to trafilatura's own date: where ours finds none (listing pages, undated
    # pages), htmldate's guess is mostly a distractor (footer "Stand:", related-news boxes).
    published = find_published("\n".join([*lead, text]), html=html, url=url, title=title)
    return Extracted(title=title, text=text, published=published, language=(doc.language if doc else None) or _lang(html))


ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "PressRelease", "Report"}
_LD_SCRIPT = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)


def json_ld_article_body(html: str) -> str | None:
    """The ``articleBody`` of the page's JSON-LD article (schema.org), if any."""
    import json

    if "articleBody" not in html:
        return None
    for raw in _LD_SCRIPT.findall(html):
        try:
            data = json.loads(raw.strip())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack += node.get("@graph", []) if isinstance(node.get("@graph"), list) else []
            kinds = node.get("@type")
            kinds = set(kinds) if isinstance(kinds, list) else {kinds}
            body = node.get("articleBody")
            if kinds & ARTICLE_TYPES and isinstance(body, str) and len(body.strip()) >= MIN_TEXT:
                return body.strip()
    return None


def _lead_lines(html: str) -> list[str]:
    """The lines around the headline (date line, "Meldungsdatum: …"): main-text extractors
    often drop them as metadata, yet they carry the publication date."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return []
    heading = next(iter(tree.xpath("//main//h1 | //article//h1") or tree.xpath("//h1")), None)
    if heading is None:
        return []
    block = heading.getparent()
    # Climb until the block holds more than the headline (TYPO3 wraps the h1 in div.header).
    while block is not None and block.getparent() is not None and len(block.text_content()) < len(heading.text_content()) + 40:
        block = block.getparent()
    if block is None or block.tag in ("body", "html"):
        return []
    lines = [" ".join(t.split()) for t in block.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")]
    return [ln for ln in lines if ln][:8]


def _lang(html: str) -> str | None:
    m = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:2000])
    return m.group(1).lower() if m else None


PAGE_MARK = re.compile(r"^\s*(?:Seite|Page)\s+\d+\s*(?:von|/|of)\s*\d+\s*$|^\s*-\s*\d+\s*-\s*$", re.M | re.I)
# Letterhead lines in the head of a page: addresses, phone, mail, web — and, when the line
# is short, the office's name ("Pressestelle", "Presseinformation"); a sentence of the text
# that names the Pressestelle stays.
LETTERHEAD = re.compile(r"Telefon|Telefax|\bFax\b|E-Mail|@|www\.|Postfach|\b\d{5}\s+[A-ZÄÖÜ]", re.I)
LETTERHEAD_NAME = re.compile(r"Pressestelle|^Presse(?:information|mitteilung)\b", re.I)
LETTERHEAD_WORDS = 6
DATE_ONLY = re.compile(r"^(?:[A-ZÄÖÜ][a-zäöü]+,\s*)?(?:den\s+)?\d{1,2}\.\s?\d{1,2}\.\s?\d{4}$")
HEAD_LINES = 6


def extract_pdf(body: bytes, url: str) -> Extracted:
    """Text of a PDF press release: letterheads, page marks ("Seite 1 von 2") and the page
    breaks inside sentences are removed, so the text reads like the HTML version."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        return Extracted(error=f"broken PDF: {type(exc).__name__}: {exc}")
    if not any(p.strip() for p in pages):
        return Extracted(error="PDF without a text layer (scanned?)" if pages else "PDF without pages")
    page_lines = [[ln.strip() for ln in PAGE_MARK.sub("", p).splitlines() if ln.strip()] for p in pages]
    # A line on every page (letterhead, footer) is furniture, not text.
    repeated = set.intersection(*(set(lines) for lines in page_lines)) if len(page_lines) > 1 else set()
    date_line = next((ln for ln in page_lines[0][:HEAD_LINES + 2] if DATE_ONLY.match(ln)), None)
    body_lines = []
    for lines in page_lines:
        for i, ln in enumerate(lines):
            in_head = i < HEAD_LINES
            furniture = LETTERHEAD.search(ln) or DATE_ONLY.match(ln) or (
                LETTERHEAD_NAME.search(ln) and len(ln.split()) <= LETTERHEAD_WORDS)
            if ln in repeated or (in_head and furniture):
                continue
            body_lines.append(ln)
    if not body_lines:
        return Extracted(error="PDF holds nothing but its letterhead")
    title = str(meta_title).strip() if meta_title else None
    first = body_lines[0]
    if len(first) < 200 and not re.search(r"[.!?]$", first) and (not title or first == title):
        # The headline is a paragraph of its own, not the start of the first sentence.
        text = first + "\n\n" + _join_lines(body_lines[1:])
        title = title or first
    else:
        text = _join_lines(body_lines)
    published = find_published(f"{date_line}\n{text}" if date_line else text, url=url)
    return Extracted(title=title or first, text=clean_text(text), published=published, language="de")


def _join_lines(lines: list[str]) -> str:
    """Reflow wrapped PDF lines: a line that ends without sentence punctuation continues;
    "Integra-" + "tion" is one word, "KOMM-" + "AN" keeps its hyphen."""
    out: list[str] = []
    for line in lines:
        if out and not re.search(r"[.!?:“\"”)]$", out[-1]):
            prev = out[-1]
            if prev.endswith("-") and line[:1].islower():
                out[-1] = prev[:-1] + line
            elif prev.endswith("-"):
                out[-1] = prev + line
            else:
                out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return "\n\n".join(out)


def is_pdf(body: bytes, content_type: str | None) -> bool:
    return body[:5] == b"%PDF-" or "pdf" in (content_type or "").lower()


def extract(body: bytes, url: str, content_type: str | None, hints: dict[str, str] | None = None) -> Extracted:
    """Extract a release from any body; never raises (errors come back in ``error``)."""
    if not body or not body.strip():
        return Extracted(error="empty response body")
    try:
        if is_pdf(body, content_type):
            return extract_pdf(body, url)
        return extract_html(body, url, content_type, hints)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a crawl
        return Extracted(error=f"{type(exc).__name__}: {exc}")
