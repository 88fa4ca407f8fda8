"""Everything scraped is untrusted: sanitised raw HTML, strict headers, CSRF and write access.

Pages never carry script; the Content-Security-Policy makes sure that anything that slips
through sanitising (or a template bug) still cannot run or load from elsewhere.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

import nh3
from flask import Request, Response

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CSRF_COOKIE = "ki_csrf"

# Structure and text only: no images, media, forms, frames or links that load or navigate.
RAW_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "b", "em", "i", "u", "small", "sub", "sup", "blockquote", "q", "cite", "code", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span", "div", "section",
    "article", "header", "footer", "main", "nav", "aside", "figure", "figcaption", "time", "abbr", "a",
}
RAW_ATTRIBUTES = {"a": {"title"}, "time": {"datetime"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                  "th": {"colspan", "rowspan"}}


def sanitize_html(html: str) -> str:
    """Scraped HTML reduced to harmless structure; links keep their text but lose their target."""
    return nh3.clean(html, tags=RAW_TAGS, attributes=RAW_ATTRIBUTES, url_schemes=set(),
                     strip_comments=True, link_rel=None,
                     clean_content_tags={"script", "style", "template", "noscript", "iframe", "object",
                                         "embed", "svg", "math", "title", "head"})


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def needs_token(request: Request, base_url: str) -> bool:
    """A token is needed unless both the server's address and the client are loopback."""
    return not (is_loopback(urlsplit(base_url).hostname) and is_loopback(request.remote_addr)
                and is_loopback(request.host.rsplit(":", 1)[0] if request.host else None))


def token_ok(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(request: Request) -> bool:
    """Double-submit: the form field must equal our SameSite=Strict cookie, from our own origin."""
    cookie, field = request.cookies.get(CSRF_COOKIE), request.form.get("csrf")
    if not (cookie and field and hmac.compare_digest(cookie.encode(), field.encode())):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.host
