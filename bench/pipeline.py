"""Benchmark: the full pipeline against a bare Scrapy crawl and a bare extraction, same run.

A generated site of N press releases (default 2 000: listing pages + article pages with the
demo web's realistic boilerplate) is served on 127.0.0.1. Measured one after the other:

1. bare Scrapy crawl of all pages (bench/bare_crawl.py),
2. bare trafilatura extraction of all article pages on one core,
3. the full ki-monitor run (crawl, extract in a worker process, store, diff, analyse, feeds),
4. a second full run over the unchanged site (conditional GET).

Prints wall times, pages/s and peak memory (RSS of the crawl process and its extraction
worker, sampled from /proc). Target: full ≤ bare crawl + bare extraction; peak < 250 MB.

    .venv/bin/python bench/pipeline.py [--pages 2000] [--workers 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.settings import DOWNLOAD_SETTINGS  # noqa: E402
from monitor.demoweb import Entry, Site, start_demo_web  # noqa: E402
from monitor.demoweb.documents import documents  # noqa: E402
from monitor.demoweb.families import FAMILIES  # noqa: E402


def generated_site(n: int) -> Site:
    docs = list(documents().values())
    entries = []
    for i in range(n):
        doc = docs[i % len(docs)]
        day = date(2016, 1, 1) + timedelta(days=i)
        entries.append(Entry(f"meldung-{i:05d}", f"{doc.title} ({i})", [f"Meldung {i}.", *doc.paragraphs], day,
                             datetime(day.year, day.month, day.day, 9, tzinfo=UTC), numeric_id=i))
    entries.reverse()
    return Site("bench", "Stadt Benchheim", FAMILIES["generic"], entries, per_page=20)


def rss_tree_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (0 when gone)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS")))
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; return wall seconds and peak RSS (MiB) of its process tree."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    while proc.poll() is None:
        peak = max(peak, rss_tree_kib(proc.pid))
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"{cmd[:3]} failed with {proc.returncode}")
    return time.perf_counter() - start, peak // 1024


def bare_extraction(site: Site) -> float:
    import trafilatura

    pages = [p for path, p in site.pages().items() if path.endswith(".html") and "/presse/" in path]
    start = time.perf_counter()
    for page in pages:
        trafilatura.bare_extraction(page.body.decode(), with_metadata=True)
    return time.perf_counter() - start


def full_run_cmd(db: Path, registry: Path, feeds: Path, workers: int) -> list[str]:
    settings = {**DOWNLOAD_SETTINGS, "KI_MONITOR_EXTRACT_WORKERS": workers}
    code = (
        "from pathlib import Path; from monitor.runner import RunOptions, run_once; "
        f"s = run_once(RunOptions(db={str(db)!r}, sources={str(registry)!r}, feeds_dir=Path({str(feeds)!r}), "
        f"max_pages=100000, settings={ {k: str(v) for k, v in settings.items()}!r})); "
        "print('run', s.run_id, s.status, s.diff.count())"
    )
    return [sys.executable, "-c", code]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="extraction worker processes")
    args = parser.parse_args()
    site = generated_site(args.pages)
    with start_demo_web([site]) as _web, tempfile.TemporaryDirectory() as tmp:
        threading.Thread(target=site.pages, daemon=True).start()
        tmpdir = Path(tmp)
        registry = tmpdir / "sources.toml"
        registry.write_text(f'[[source]]\nid = "bench"\nki = "Köln"\nurl = "{site.start_url}"\nmax_pages = 100000\n')
        n = len(site.entries)
        crawl_s, crawl_mb = timed([sys.executable, "-m", "bench.bare_crawl", site.start_url])
        extract_s = bare_extraction(site)
        hits_before = len(site.hits)
        full_s, full_mb = timed(full_run_cmd(tmpdir / "k.db", registry, tmpdir / "feeds", args.workers))
        first_hits = site.hits[hits_before:]
        hits_before = len(site.hits)
        second_s, second_mb = timed(full_run_cmd(tmpdir / "k.db", registry, tmpdir / "feeds", args.workers))
        second_hits = site.hits[hits_before:]
        db_mb = (tmpdir / "k.db").stat().st_size / 2**20
    full_200 = sum(1 for _, s in first_hits if s == 200)
    second_200 = sum(1 for _, s in second_hits if s == 200)
    print(f"pages: {n} articles + {len(site.listing_pages())} listing pages")
    print(f"bare Scrapy crawl      {crawl_s:6.1f} s  {n / crawl_s:6.0f} articles/s  peak {crawl_mb} MiB")
    print(f"bare extraction        {extract_s:6.1f} s  {n / extract_s:6.0f} articles/s  (one core)")
    print(f"  sum                  {crawl_s + extract_s:6.1f} s")
    print(f"full run (first)       {full_s:6.1f} s  {n / full_s:6.0f} articles/s  peak {full_mb} MiB "
          f"({full_s / (crawl_s + extract_s):.2f}× the sum)")
    print(f"full run (unchanged)   {second_s:6.1f} s  peak {second_mb} MiB; 200s {second_200} vs {full_200} "
          f"first run; 304s {sum(1 for _, s in second_hits if s == 304)}")
    print(f"database               {db_mb:6.1f} MiB")


if __name__ == "__main__":
    main()
