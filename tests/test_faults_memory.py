"""Peak memory of a whole 15-site run (issue 12, point 4): under 250 MB for the process tree,
with the fault web's worst bodies (a 60 MB page, a gzip bomb, a 15 MB page) among the sites."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.memory_run import measure  # noqa: E402


@pytest.mark.slow
def test_a_15_site_run_with_huge_bodies_stays_under_250_mb():
    result = measure(15, 24, faults=True)
    print(f"\nmemory: {result['sites']} sites, {result['releases']} releases, peak {result['peak_mb']:.0f} MB, "
          f"{result['seconds']:.1f} s")
    assert result["peak_mb"] < 250
    assert result["summary"].startswith("357 new")  # all but the three oversized pages
