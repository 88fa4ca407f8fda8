"""The big test web: ten-plus simulated press sites, generated from a seed, served on 127.0.0.1.

``BigWeb(seed, scale)`` builds every site in memory (deterministically: the same seed gives the
same bytes); ``serve()`` starts one HTTP server per site and yields a :class:`LiveWeb` whose
truth carries the real ports.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bigweb.model import Release, Site
from tests.bigweb.server import SiteServer
from tests.bigweb.sites import CATALOG
from tests.bigweb.truth import ReleaseTruth, SiteTruth, truth_as_json


class BigWeb:
    def __init__(self, seed: int = 1, scale: float = 1.0) -> None:
        self.seed, self.scale = seed, scale
        self.sites: dict[str, Site] = {}
        for entry in CATALOG:
            rng = random.Random(f"bigweb:{seed}:{entry.slug}")
            count = max(12, round(rng.randint(200, 450) * scale))
            self.sites[entry.slug] = entry.kind(entry.slug, entry.name, entry.ki, rng, count, entry.start_year)

    @contextmanager
    def serve(self) -> Iterator[LiveWeb]:
        servers = {slug: SiteServer(site) for slug, site in self.sites.items()}
        for server in servers.values():
            server.start()
        try:
            yield LiveWeb(servers)
        finally:
            for server in servers.values():
                server.stop()


class LiveWeb:
    """The running web: its truth (with ports), the request logs, and new releases on demand."""

    def __init__(self, servers: dict[str, SiteServer]) -> None:
        self.servers = servers

    @property
    def sites(self) -> list[SiteTruth]:
        return [self.site(slug) for slug in self.servers]

    def site(self, slug: str) -> SiteTruth:
        server = self._server(slug)
        with server.lock:
            return server.site.truth(server.base)

    def base(self, slug: str) -> str:
        return self._server(slug).base

    def requests(self, slug: str) -> list[tuple[str, str, int]]:
        server = self._server(slug)
        with server.lock:
            return list(server.log)

    def reset_requests(self) -> None:
        for server in self.servers.values():
            with server.lock:
                server.log.clear()

    def add_releases(self, slug: str, n: int) -> list[ReleaseTruth]:
        server = self._server(slug)
        with server.lock:
            added: list[Release] = server.site.add_releases(n)
            numbers = {f"{slug}:{r.cms_id}" for r in added}
            truth = server.site.truth(server.base)
        return [r for r in truth.releases if r.id in numbers]

    def write_sources(self, path: str | Path, slugs: list[str] | None = None) -> Path:
        lines = []
        for site in self.sites:
            if slugs is not None and site.slug not in slugs:
                continue
            lines += ["[[source]]", f"id = {json.dumps(site.slug)}", f"name = {json.dumps(site.name, ensure_ascii=False)}",
                      f"ki = {json.dumps(site.ki, ensure_ascii=False)}", f"url = {json.dumps(site.start_url)}", ""]
        target = Path(path)
        target.write_text("\n".join(lines), "utf-8")
        return target

    def truth_json(self) -> str:
        return truth_as_json(self.sites)

    def _server(self, slug: str) -> SiteServer:
        try:
            return self.servers[slug]
        except KeyError:
            raise KeyError(f"no bigweb site {slug!r}; sites are {', '.join(self.servers)}") from None
