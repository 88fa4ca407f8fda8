"""Concurrent writers on one database, as several Scrapyd nodes and a reviewer produce them:
two crawls of the same sites at once (no run lock between hand/Scrapyd crawls: same bodies,
same sources, same URLs) while the review server takes corrections. Nothing deadlocks, every
write arrives. Runs on SQLite and on PostgreSQL (conftest's ``storage``)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from helpers_crawl import FAST_CRAWL, ROOT
from review_support import Client, serve
from sqlalchemy import func, select

from monitor.demoweb import start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.runner import RunOptions, run_once
from storage.db import open_db
from storage.models import Correction, Fetch, Release, Run

pytestmark = pytest.mark.slow
CORRECTIONS = 12


def crawl_process(db: str, registry: Path) -> subprocess.Popen:
    # A full walk: both crawls fetch every release again (a daily one stops at known releases).
    cmd = [sys.executable, "-m", "scrapers.crawl", "--db", db, "--sources", str(registry), "--walk", "full"]
    for name, value in {**FAST_CRAWL, "DOWNLOAD_DELAY": "0.02", "AUTOTHROTTLE_ENABLED": "False"}.items():
        cmd += ["--set", f"{name}={value}"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_two_crawls_and_a_reviewer_at_once_lose_no_row_and_do_not_deadlock(storage, tmp_path: Path):
    db = storage.new()
    with start_demo_web(demo_sites()) as web:
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        first = run_once(RunOptions(db=db, sources=str(registry), feeds_dir=tmp_path / "feeds",
                                    settings=dict(FAST_CRAWL)))
        assert first.status == "ok"
        expected = {site.article_url(e) for site in web.sites.values() for e in site.entries}
        sources = list(web.sites)
        with open_db(db)() as s:
            ids = list(s.scalars(select(Release.id).order_by(Release.id)))
        # Each site answers its pages anew (changed bodies), so both crawls write.
        for site in web.sites.values():
            for entry in site.entries:
                site.edit(entry.slug, [*entry.paragraphs, "Nachtrag: Ergänzung der Redaktion."])

        errors: list[str] = []
        with serve(db, tmp_path / "feeds", read_only=False) as base:
            def review() -> None:
                client = Client(base)
                for n in range(CORRECTIONS):
                    rid = ids[n % len(ids)]
                    page = client.get(f"/release/{rid}")
                    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
                    reply = client.post(f"/release/{rid}/correct",
                                        {"csrf": token[1] if token else "", "label": ("other", "visit")[n % 2],
                                         "note": f"Prüfung {n}"})
                    if reply.status != 303:
                        errors.append(f"correction {n}: HTTP {reply.status}")

            crawls = [crawl_process(db, registry) for _ in range(2)]
            reviewer = threading.Thread(target=review)
            reviewer.start()
            outcomes = []
            for proc in crawls:
                try:
                    _, stderr = proc.communicate(timeout=240)  # a deadlock would hang here
                except subprocess.TimeoutExpired:
                    proc.kill()
                    raise
                outcomes.append((proc.returncode, stderr))
            reviewer.join(120)
            assert not reviewer.is_alive(), "the reviewer hung"
    assert errors == []
    for code, stderr in outcomes:
        assert code == 0, stderr[-3000:]
        assert "IntegrityError" not in stderr and "deadlock" not in stderr.lower(), stderr[-3000:]
    with open_db(db)() as s:
        assert s.scalar(select(func.count()).select_from(Correction)) == CORRECTIONS
        runs = list(s.scalars(select(Run).where(Run.trigger == "scrapy")))  # one per crawl and source
        assert len(runs) == 2 * len(sources) and all(r.status == "ok" for r in runs), \
            [(r.id, r.status, r.error) for r in runs]
        fetched = Counter(s.scalars(select(Fetch.url).where(Fetch.run_id.in_([r.id for r in runs]),
                                                            Fetch.kind == "release")))
        assert fetched == dict.fromkeys(expected, 2)  # each crawl stored every release page once
        assert set(s.scalars(select(Release.url))) == expected
