"""Fault sites served on 127.0.0.1: the demo web's pages, with per-path faults on top."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

from faultweb.faults import Fault
from monitor.demoweb import DemoWeb, Site
from monitor.demoweb.catalog import sources_toml
from monitor.demoweb.documents import documents
from monitor.demoweb.families import FAMILIES
from monitor.demoweb.server import _handler_for
from monitor.demoweb.site import Entry

# Visits and funding news of the shared corpus: each reaches the feeds when crawled.
RELEASE_DOCS = ("seed000", "seed001", "seed003", "seed004", "d006", "d021", "d026", "d015", "d020",
                "d003", "d034", "d032", "d033", "d019", "d014", "d044", "d035", "d008", "d002", "d039",
                "d011", "d024", "d041", "d036")


def fault_site(site_id: str, docs: Iterable[str] = RELEASE_DOCS[:3], family: str = "generic",
               offset: int = 0) -> Site:
    corpus = documents()
    entries = [Entry.from_document(corpus[d], numeric_id=100200 + offset + i) for i, d in enumerate(docs)]
    entries.sort(key=lambda e: e.published, reverse=True)
    return Site(id=site_id, name=f"Faultsite {site_id}", family=FAMILIES[family], entries=entries)


@dataclass
class FaultWeb(DemoWeb):
    faults: dict[str, dict[str, Fault]] = field(default_factory=dict)  # site id -> path -> fault

    def fault(self, site_id: str, path: str, behaviour: Fault) -> None:
        self.faults.setdefault(site_id, {})[path] = behaviour

    def registry(self, *site_ids: str) -> str:
        """A source registry for the named sites (default: all of them)."""
        return sources_toml([self.sites[i] for i in site_ids or self.sites])


def _faulty_handler(site: Site, web: FaultWeb):
    base = _handler_for(site)

    class Handler(base):
        def page(self, with_body: bool) -> None:
            """The path's normal answer, for faults that pass a request on."""
            super()._answer(with_body)

        def _answer(self, with_body: bool) -> None:
            behaviour = web.faults.get(site.id, {}).get(self.path)
            if behaviour is None:
                super()._answer(with_body)
                return
            site.hits.append((self.path, 0))
            behaviour(self, with_body)

    return Handler


def start_fault_web(sites: list[Site], host: str = "127.0.0.1") -> FaultWeb:
    web = FaultWeb({s.id: s for s in sites})
    for site in sites:
        server = ThreadingHTTPServer((host, 0), _faulty_handler(site, web))
        server.daemon_threads = True
        site.base_url = f"http://{host}:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, name=f"faultweb-{site.id}", daemon=True).start()
        web.servers.append(server)
    return web
