"""How fast the release analysis runs per document (run by hand, never in CI).

    .venv/bin/python -m bench.analysis [--corpus ../shared/corpus] [--rounds 20]

Analyses every labelled document of the corpus ``rounds`` times after one warm-up pass (the
caches of the rules filled, as in a long crawl) and prints cold, median and worst milliseconds
per document, plus the slowest development documents by id. Timing only: no figure of quality is printed,
so the blind part stays unseen here too.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from monitor.analysis import analyze, corpus

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    golds = corpus.load(args.corpus)
    if not golds:
        raise SystemExit(f"no labelled documents found in {args.corpus}")
    start = time.perf_counter()
    for g in golds:
        analyze(g.doc)
    cold = (time.perf_counter() - start) * 1000 / len(golds)
    per_doc: dict[str, list[float]] = {g.id: [] for g in golds}
    for _ in range(args.rounds):
        for g in golds:
            t = time.perf_counter()
            analyze(g.doc)
            per_doc[g.id].append((time.perf_counter() - t) * 1000)
    medians = {k: statistics.median(v) for k, v in per_doc.items()}
    every = [x for v in per_doc.values() for x in v]
    print(f"documents          {len(golds)} x {args.rounds} rounds")
    print(f"cold pass          {cold:.2f} ms/doc")
    print(f"median             {statistics.median(every):.2f} ms/doc")
    print(f"mean               {statistics.fmean(every):.2f} ms/doc")
    print(f"worst              {max(every):.2f} ms")
    development = {g.id for g in golds if not g.blind}  # blind ids are not even named
    slow = sorted(development, key=medians.get, reverse=True)[:5]
    print("slowest (median)   " + ", ".join(f"{k} {medians[k]:.2f} ms" for k in slow))


if __name__ == "__main__":
    main()
