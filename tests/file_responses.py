"""Turn a saved page into a Scrapy response (City Scrapers' ``file_response``)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response

FILES = Path(__file__).parent / "files"


def file_response(site: str, name: str, url: str, content_type: str | None = None) -> Response:
    body = (FILES / site / name).read_bytes()
    if content_type is None:
        content_type = "application/pdf" if name.endswith(".pdf") else "text/html; charset=utf-8"
    cls = HtmlResponse if content_type.startswith("text/html") else Response
    return cls(url=url, body=body, headers={"Content-Type": content_type}, request=Request(url))
