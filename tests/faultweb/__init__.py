"""The fault web: demo sites on 127.0.0.1 whose paths can misbehave the way real sites do.

A site renders like the demo web (same CMS families, real press texts); ``faults`` maps a path
to a behaviour that replaces the normal answer: redirects to anywhere, hangs, connection
resets, truncated or huge bodies, a gzip bomb, 429 with ``Retry-After``, broken PDFs. Tests
crawl it with the real crawler over HTTP, so every fault is met the way a user's run meets it.
"""

from faultweb.faults import (
    Fault,
    answer,
    at_first,
    gzip_bomb,
    hang,
    huge_body,
    meta_refresh,
    redirect,
    reset,
    truncated,
)
from faultweb.web import FaultWeb, fault_site, start_fault_web

__all__ = ["Fault", "FaultWeb", "answer", "at_first", "fault_site", "gzip_bomb", "hang", "huge_body", "meta_refresh",
           "redirect", "reset", "start_fault_web", "truncated"]
