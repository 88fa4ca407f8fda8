"""Behaviours a path of the fault web can have instead of its page.

Each is a function of the request handler (``http.server``) and whether a body is wanted
(HEAD), so it can answer anything a broken or hostile server answers.
"""

from __future__ import annotations

import gzip
import socket
import struct
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

Fault = Callable[[BaseHTTPRequestHandler, bool], None]


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None,
           content_type: str = "text/html; charset=utf-8") -> Fault:
    """A fixed reply: an error status, a 429 with ``Retry-After``, a broken PDF."""

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if with_body:
            handler.wfile.write(body)

    return reply


def redirect(location: str, status: int = 302) -> Fault:
    return answer(status, headers={"Location": location})


def meta_refresh(location: str) -> Fault:
    page = f'<html><head><meta http-equiv="refresh" content="0; url={location}"></head><body></body></html>'
    return answer(200, page.encode())


def hang(seconds: float) -> Fault:
    """Accepts the request, then says nothing for ``seconds`` (bounded: tests stop by themselves)."""

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        time.sleep(seconds)
        handler.close_connection = True

    return reply


def reset() -> Fault:
    """Closes the connection with a TCP RST before any byte of a reply."""

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
        handler.connection.close()

    return reply


def truncated(body: bytes, claimed: int | None = None) -> Fault:
    """Announces ``claimed`` bytes, sends part of the body, then hangs up."""

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(claimed or len(body) * 2))
        handler.end_headers()
        if with_body:
            handler.wfile.write(body)
            handler.wfile.flush()
        handler.close_connection = True

    return reply


def huge_body(size: int, chunk: int = 1 << 20) -> Fault:
    """``size`` bytes of HTML, streamed without being held in memory."""

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        if not with_body:
            return
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                part = block[: size - sent]
                handler.wfile.write(part)
                sent += len(part)
        except OSError:  # the crawler gave up on it: that is the point
            handler.close_connection = True

    return reply


def gzip_bomb(unpacked: int = 200 * 1024 * 1024) -> Fault:
    """A small gzip body that inflates to ``unpacked`` bytes."""
    packed = gzip.compress(b"\0" * unpacked, compresslevel=9)

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(packed)))
        handler.end_headers()
        if with_body:
            try:
                handler.wfile.write(packed)
            except OSError:
                handler.close_connection = True

    return reply


def at_first(fault: Fault, times: int = 1, log: list[float] | None = None) -> Fault:
    """``fault`` for the first ``times`` requests, then the page itself; ``log`` gets the time
    of every request (to check a client waited as told)."""
    left = [times]

    def reply(handler: BaseHTTPRequestHandler, with_body: bool) -> None:
        if log is not None:
            log.append(time.monotonic())
        if left[0] > 0:
            left[0] -= 1
            fault(handler, with_body)
        else:
            handler.page(with_body)  # type: ignore[attr-defined]

    return reply
