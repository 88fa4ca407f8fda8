"""Decoding HTML bodies whatever charset they claim.

Its own module, without trafilatura: the spider decodes listing pages with it, and the crawl
process should not load the extraction stack it never uses.
"""

from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode HTML whatever the page claims: BOM, then valid UTF-8, then the declared charset
    (ISO-8859-1 read as Windows-1252, as browsers do), then Windows-1252.

    Sites declare UTF-8 and send Windows-1252, declare Latin-1 and send UTF-8, or declare
    nothing. Non-ASCII text that decodes as UTF-8 almost never is anything else, so a strict
    UTF-8 decode decides before any declaration is believed.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = [
        resolve_encoding(e) for e in (http_content_type_encoding(content_type or ""),
                                      html_body_declared_encoding(body)) if e
    ]
    for encoding in [*declared, "cp1252"]:
        if encoding in (None, "utf-8", "utf8"):
            continue
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("cp1252", "replace")
