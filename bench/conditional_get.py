"""What a second run over an unchanged web costs, relative to the first (run by hand).

    .venv/bin/python -m bench.conditional_get

Starts the demo web (the 4 demo sites and the 8 discovery test sites) on 127.0.0.1, crawls
it twice into a throwaway database with the real crawl entry point, and prints requests and
response bytes per run and the ratio second ÷ first. Requests include robots.txt; bytes are
what Scrapy received (a 304 carries headers only).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from monitor.demoweb import start_demo_web
from monitor.demoweb.catalog import demo_sites
from monitor.demoweb.catalog import sources_toml as demo_toml
from monitor.demoweb.testsites import discovery_sites
from monitor.demoweb.testsites import sources_toml as test_toml
from storage.db import open_db
from storage.models import Fetch, RunSource

FAST = ["--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "AUTOTHROTTLE_MAX_DELAY=0.2"]


def crawl(db: Path, registry: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scrapers.crawl", "--db", str(db), "--sources", str(registry), *FAST],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def figures(db: Path, run_ids: set[int]) -> tuple[int, int, Counter, int]:
    with open_db(str(db))() as session:
        rows = session.scalars(select(RunSource).where(RunSource.run_id.in_(run_ids))).all()
        statuses: Counter = Counter()
        for r in rows:
            statuses.update({k: v for k, v in r.responses.items()})
        fresh_releases = session.scalars(select(Fetch).where(
            Fetch.run_id.in_(run_ids), Fetch.kind == "release", Fetch.not_modified.is_(False))).all()
        return sum(r.requests for r in rows), sum(r.bytes for r in rows), statuses, len(fresh_releases)


def main() -> None:
    demo, tests = demo_sites(), discovery_sites()
    with tempfile.TemporaryDirectory() as tmp, start_demo_web([*demo, *tests]) as web:
        registry, db = Path(tmp) / "sources.toml", Path(tmp) / "bench.db"
        registry.write_text(demo_toml(demo) + "\n" + test_toml(tests), "utf-8")
        runs = []
        for n in (1, 2):
            seen = set(_run_ids(db))
            secs = crawl(db, registry)
            runs.append((n, secs, set(_run_ids(db)) - seen))
        print(f"{len(web.sites)} sites, {sum(len(s.entries) for s in web.sites.values())} releases")
        result = []
        for n, secs, ids in runs:
            requests, size, statuses, fresh = figures(db, ids)
            result.append((requests, size))
            print(f"run {n}: {requests:4d} requests, {size / 1024:8.1f} KiB, {secs:5.1f} s, "
                  f"release pages downloaded: {fresh:3d}, statuses {dict(sorted(statuses.items()))}")
        (r1, b1), (r2, b2) = result
        print(f"second ÷ first: requests {r2 / r1:.2f}, bytes {b2 / b1:.3f}")


def _run_ids(db: Path) -> list[int]:
    if not db.exists():
        return []
    with open_db(str(db))() as session:
        return list(session.scalars(select(RunSource.run_id)))


if __name__ == "__main__":
    main()
