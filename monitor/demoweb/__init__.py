"""The bundled demo web: realistic local copies of KI press sites, served on 127.0.0.1.

Used by ``ki-monitor demo`` and by the tests, so every crawl in them is a real crawl over HTTP.
"""

from monitor.demoweb.server import DemoWeb, start_demo_web
from monitor.demoweb.site import Entry, Site

__all__ = ["DemoWeb", "Entry", "Site", "start_demo_web"]
