"""Discovery on the big test web, side by side with a bare same-host Scrapy crawl.

    python -m bench.discovery [--scale 1.0] [--seed 1]

Runs, in one invocation on the same generated web (``tests/bigweb``):

1. the baseline: ``bench.bigweb_baseline`` (a plain ``CrawlSpider`` following every same-host
   link), in its own process;
2. ``ki-monitor run`` from start URLs alone (the backfill), then an unchanged daily run, then a
   daily run after two new releases per site, then a forced full walk.

It prints recall per site and per channel, requests, bytes and wall time of each run; the
ratios the issue asks for (daily ÷ first run) come last. Polite settings are shortened the same
way the tests shorten them (loopback servers need no delay).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from scrapers.discovery.urls import canonical_url
from storage.db import open_db
from storage.models import Release, RunSource
from tests.bigweb import BigWeb, LiveWeb
from tests.helpers_crawl import FAST_CRAWL as FAST

ROOT = Path(__file__).resolve().parents[1]


def ki_monitor_run(db: Path, registry: Path, *args: str) -> float:
    sets = [a for k, v in FAST.items() for a in ("--set", f"{k}={v}")]
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "monitor.cli", "run", "--db", str(db), "--sources", str(registry),
                    "--feeds-dir", str(db.parent / "feeds"), "--no-progress", *sets, *args],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - began


def run_figures(db: Path) -> dict[str, RunSource]:
    with open_db(str(db))() as session:
        latest = session.scalars(select(RunSource).order_by(RunSource.run_id.desc())).all()
        out: dict[str, RunSource] = {}
        for rs in latest:
            out.setdefault(rs.source_id, rs)
        return out


def recall(live: LiveWeb, db: Path) -> dict[str, tuple[int, int]]:
    with open_db(str(db))() as session:
        stored = {(r.source_id, canonical_url(r.url)) for r in session.scalars(select(Release))}
    out = {}
    for site in live.sites:
        wanted = [t for t in site.releases if not t.broken]
        hit = sum(1 for t in wanted if any((site.slug, canonical_url(u)) in stored for u in (t.canonical_url, *t.aliases)))
        out[site.slug] = (hit, len(wanted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    began = time.perf_counter()
    baseline = subprocess.run([sys.executable, "-m", "bench.bigweb_baseline", "--seed", str(args.seed),
                               "--scale", str(args.scale)], cwd=ROOT, check=True, capture_output=True, text=True)
    baseline_wall = time.perf_counter() - began
    print("== baseline: bare Scrapy CrawlSpider, every same-host link ==")
    print(baseline.stdout.strip())
    with tempfile.TemporaryDirectory() as tmp, BigWeb(seed=args.seed, scale=args.scale).serve() as live:
        db, registry = Path(tmp) / "bench.db", live.write_sources(Path(tmp) / "sources.toml")
        walls, requests, bytes_ = {}, {}, {}
        for label, extra in (("first run (backfill)", ()), ("daily, unchanged", ()), ("daily, 2 new per site", ()),
                             ("full walk", ("--walk", "full"))):
            if label.startswith("daily, 2 new"):
                for site in live.sites:
                    live.add_releases(site.slug, 2)
            live.reset_requests()
            walls[label] = ki_monitor_run(db, registry, *extra)
            figures = run_figures(db)
            requests[label] = {s.slug: len(live.requests(s.slug)) for s in live.sites}
            bytes_[label] = sum(rs.bytes for rs in figures.values())
            if label.startswith("first"):
                first_figures, first_recall = figures, recall(live, db)
        print("\n== ki-monitor: first run from start URLs alone ==")
        print(f"{'site':38} {'recall':>11} {'requests':>8}  channels (releases listed)")
        for site in live.sites:
            hit, n = first_recall[site.slug]
            found = (first_figures[site.slug].channels or {}).get("found", {})
            print(f"{site.slug:38} {hit:4d}/{n:<4d} {requests['first run (backfill)'][site.slug]:8d}  "
                  + " · ".join(f"{k} {v}" for k, v in found.items()))
        hit = sum(h for h, _ in first_recall.values())
        n = sum(n for _, n in first_recall.values())
        print(f"{'total':38} {hit:4d}/{n:<4d} = {hit / n:.3f}")
        print("\n== cost per run ==")
        first = sum(requests["first run (backfill)"].values())
        for label in walls:
            total = sum(requests[label].values())
            print(f"{label:24} {total:6d} requests ({total / first:5.3f} of the first)  {bytes_[label] / 1e6:7.2f} MB  "
                  f"{walls[label]:6.1f} s  {total / walls[label]:6.0f} pages/s")
        print(f"{'baseline crawl':24} wall {baseline_wall:.1f} s (including its start-up)")


if __name__ == "__main__":
    main()
