"""Benchmark: peak memory of a whole ``ki-monitor run`` over 15 local sites (issue 12: the
process tree must stay under 250 MB).

Fifteen demo sites (generic, numeric and GSB layouts, 24 releases each) are served on
127.0.0.1; with ``--faults`` three of their releases answer with the fault web's worst bodies (a
60 MB page, a gzip bomb, a 15 MB page under the size limit); ``ki-monitor run`` is started as a user starts it and the resident memory
of its whole process tree (the run, the crawl child, any workers) is sampled from /proc every
20 ms. Prints the peak of the sum, the peak of each process and the wall time.

    .venv/bin/python bench/memory_run.py [--sites 15] [--releases 24] [--limit-mb 250]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from faultweb import gzip_bomb, huge_body, start_fault_web  # noqa: E402

from bench.pipeline import rss_tree_kib  # noqa: E402
from monitor.demoweb import Entry, Site  # noqa: E402
from monitor.demoweb.catalog import sources_toml  # noqa: E402
from monitor.demoweb.documents import documents  # noqa: E402
from monitor.demoweb.families import FAMILIES  # noqa: E402

LAYOUTS = ("generic", "numeric", "gsb")


def sites(count: int, releases: int) -> list[Site]:
    docs = list(documents().values())
    out = []
    for n in range(count):
        entries = [Entry.from_document(docs[(n * releases + i) % len(docs)], numeric_id=1000 * n + i)
                   for i in range(releases)]
        for i, e in enumerate(entries):  # unique slugs: the same text may appear on two sites
            e.slug = f"{e.slug}-{n}-{i}"
        entries.sort(key=lambda e: e.published, reverse=True)
        out.append(Site(f"site-{n:02d}", f"Stadt {n}", FAMILIES[LAYOUTS[n % len(LAYOUTS)]], entries, per_page=8))
    return out


def measure(count: int, releases: int, faults: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp, start_fault_web(sites(count, releases)) as web:
        if faults:
            worst = (huge_body(60 * 1024 * 1024), gzip_bomb(), huge_body(15 * 1024 * 1024))
            for site, fault in zip(list(web.sites.values()), worst, strict=False):
                web.fault(site.id, site.family.article_path(site.entries[0]), fault)
        registry = Path(tmp) / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        cmd = [sys.executable, "-m", "monitor.cli", "run", "--db", f"{tmp}/ki.db", "--sources", str(registry),
               "--feeds-dir", f"{tmp}/feeds", "--no-progress",
               "--set", "AUTOTHROTTLE_START_DELAY=0.01", "--set", "AUTOTHROTTLE_MAX_DELAY=0.5"]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, rss_tree_kib(proc.pid))
            time.sleep(0.02)
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"run failed ({proc.returncode}): {err[-2000:]}")
        return {"sites": count, "releases": count * releases, "peak_mb": peak / 1024,
                "seconds": time.monotonic() - started, "summary": out.strip().splitlines()[-1]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=15)
    parser.add_argument("--releases", type=int, default=24)
    parser.add_argument("--limit-mb", type=float, default=250)
    parser.add_argument("--faults", action="store_true", help="huge bodies and a gzip bomb on three sites")
    args = parser.parse_args()
    result = measure(args.sites, args.releases, args.faults)
    print(f"{result['sites']} sites, {result['releases']} releases: peak {result['peak_mb']:.0f} MB for the "
          f"process tree, {result['seconds']:.1f} s ({result['summary']})")
    return 0 if result["peak_mb"] < args.limit_mb else 1


if __name__ == "__main__":
    sys.exit(main())
