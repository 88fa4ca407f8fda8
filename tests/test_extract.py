"""Extraction of release pages: any charset, PDFs with letterheads, broken input as errors."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from scrapers.encoding import decode_html
from scrapers.extract import extract, extract_html

TEXT = "Staatssekretärin Güler besucht das Kommunale Integrationszentrum – „Vielfalt“ kostet 5 €."
PAGE = ("<html><head>{meta}<title>Besuch</title></head><body><main><article><h1>Güler zu Besuch</h1>"
        "<p>Veröffentlicht am 02.08.2017</p>" + f"<p>{TEXT}</p>" * 4 + "</article></main></body></html>")


@pytest.mark.parametrize(("encoding", "header", "meta"), [
    ("utf-8", "text/html; charset=utf-8", '<meta charset="utf-8">'),
    ("cp1252", "text/html; charset=utf-8", '<meta charset="utf-8">'),  # declared UTF-8, sent 1252
    ("cp1252", "text/html", ""),  # no declaration at all
    ("cp1252", "text/html; charset=iso-8859-1", ""),  # Latin-1 declared, „“€ only exist in 1252
    ("utf-8", "text/html; charset=iso-8859-1", '<meta charset="iso-8859-1">'),  # the reverse lie
    ("iso-8859-15", "text/html; charset=iso-8859-15", ""),
])
def test_html_in_any_charset_decodes_to_clean_text(encoding: str, header: str, meta: str) -> None:
    body = PAGE.format(meta=meta).encode(encoding, "replace" if encoding == "iso-8859-15" else "strict")
    result = extract(body, "https://www.example.de/presse/1", header)
    expected = TEXT.encode(encoding, "replace").decode(encoding)  # 8859-15 has no „“–
    assert result.error is None and expected in result.text
    assert result.title == "Güler zu Besuch" and result.published == date(2017, 8, 2)


def test_utf8_bom_wins_over_a_wrong_declaration() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>M\xc3\xbclheim</p>", "text/html; charset=cp1252") == "<p>Mülheim</p>"


def _pdf() -> bytes:
    return resources.files("monitor.demoweb").joinpath("data/staatskanzlei-seed002.pdf").read_bytes()


def test_pdf_release_loses_letterhead_and_page_marks_and_keeps_its_date() -> None:
    result = extract(_pdf(), "https://www.land.nrw/system/files/pm.pdf", "application/pdf")
    assert result.error is None and result.published == date(2018, 7, 18)
    assert result.title == "Staatssekretärin Güler besucht Kommunales Integrationszentrum in Duisburg"
    assert result.text.startswith(result.title + "\n\n")
    for furniture in ("Seite 1 von 2", "Seite 2 von 2", "Telefon 0211 837-1134", "Presseinformation – L-Duisburg"):
        assert furniture not in result.text
    # The sentence broken by the page break reads as one again.
    assert "bis zum Ende der Legislaturperiode" in " ".join(result.text.split())


def test_pdf_served_as_octet_stream_is_still_read_as_pdf() -> None:
    assert extract(_pdf(), "https://x.de/download?id=4", "application/octet-stream").published == date(2018, 7, 18)


@pytest.mark.parametrize(("body", "ctype", "error"), [
    (_pdf()[:4000], "application/pdf", "broken PDF"),
    (b"%PDF-1.4\n%%EOF", "application/pdf", "broken PDF"),
    (b"", "text/html", "empty response body"),
    (b"<html><body><nav><a href='/'>Start</a></nav></body></html>", "text/html", "no main text found"),
    (b"\x00\xff\xfe garbage \x89PNG", "text/html", "no main text found"),
])
def test_broken_or_empty_documents_give_a_clear_error_never_an_exception(body: bytes, ctype: str, error: str) -> None:
    result = extract(body, "https://x.de/a", ctype)
    assert result.error and result.error.startswith(error) and result.text is None


def test_a_newspaper_page_with_its_full_text_only_in_json_ld_gives_that_text() -> None:
    body = "Die Staatssekretärin informierte sich im Kommunalen Integrationszentrum über die Arbeit. " * 8
    html = f"""<html><head><title>Besuch im KI</title><script type="application/ld+json">
    {{"@context": "https://schema.org", "@graph": [{{"@type": "WebPage"}}, {{"@type": "NewsArticle",
      "headline": "Besuch im KI", "datePublished": "2018-10-01T22:30:00Z", "articleBody": "{body}"}}]}}
    </script></head><body><article><h1>Besuch im KI</h1><p>Die Staatssekretärin informierte sich …</p>
    <div class="paywall">Jetzt weiterlesen mit Abo</div></article></body></html>"""
    result = extract_html(html.encode(), "https://www.zeitung.example/lokales/besuch", "text/html; charset=utf-8")
    assert result.text.startswith("Die Staatssekretärin informierte sich im Kommunalen") and len(result.text) > 500
    assert result.published.isoformat() == "2018-10-02"
