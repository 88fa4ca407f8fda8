"""Scrapyd deployment as a Scrapy user does it: a real ``scrapyd`` on 127.0.0.1,
``scrapyd-deploy`` from the repository root, ``schedule.json`` for one source with the shared
database as a setting; the scheduled job's releases then reach ``ki-monitor feed``.

The database is PostgreSQL when the suite has one (several Scrapyd nodes share it), else a
SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from helpers_crawl import FAST_CRAWL, ROOT
from monitor_env import free_port

from monitor.demoweb import start_demo_web
from monitor.demoweb.catalog import demo_sites, sources_toml
from monitor.demoweb.site import Site
from scrapers.sources import load_sources

BIN = Path(sys.executable).parent
PROJECT = "ki-monitor"  # scrapy.cfg [deploy] project


pytestmark = pytest.mark.slow


def demo_site_in_the_bundled_registry() -> Site:
    """Scrapyd lists the spiders of the bundled registry; the job then crawls the demo copy."""
    bundled = {s.id for s in load_sources()}
    return next(s for s in demo_sites() if s.id in bundled)


def call(url: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, body, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """A Scrapyd of its own in a temp dir; yields its URL."""
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\n"
        f"logs_dir = {home}/logs\ndbs_dir = {home}/dbs\nitems_dir =\nmax_proc = 2\npoll_interval = 0.2\n")
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"scrapyd did not start: {proc.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def deploy(url: str, tmp_path: Path) -> dict:
    """``scrapyd-deploy NODE`` from the repository root; the node is one more target beside the
    repository's [deploy] (a user's ~/.config/scrapy.cfg works the same way)."""
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    (xdg / "scrapy.cfg").write_text(f"[deploy:node]\nurl = {url}\nproject = {PROJECT}\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg)}
    proc = subprocess.run([str(BIN / "scrapyd-deploy"), "node"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # scrapyd-deploy exits 0 even when Scrapyd rejects the egg: read Scrapyd's answer.
    answer = proc.stdout.strip() or proc.stderr.strip().splitlines()[-1]
    return json.loads(answer[answer.index("{"):])


def wait_for_job(url: str, job: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = call(url + f"listjobs.json?project={PROJECT}")
        done = [j for j in jobs["finished"] if j["id"] == job]
        if done:
            return done[0]
        time.sleep(0.5)
    raise AssertionError(f"job {job} did not finish within {timeout:g} s")


def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    server = request.config.getoption("--pg-url")
    if not server:
        return str(tmp_path / "shared.db")
    from conftest import Storage

    storage = Storage("postgresql", tmp_path, server)
    request.addfinalizer(storage.drop_all)
    return storage.new()


def test_a_job_scheduled_on_scrapyd_lands_in_the_shared_database_and_the_feed(
        scrapyd: str, tmp_path: Path, request: pytest.FixtureRequest):
    site = demo_site_in_the_bundled_registry()
    source = site.id
    deployed = deploy(scrapyd, tmp_path)
    assert deployed["status"] == "ok", deployed
    assert deployed["spiders"] > 1
    assert source in call(scrapyd + f"listspiders.json?project={PROJECT}")["spiders"]

    db = shared_database(request, tmp_path)
    with start_demo_web([site]) as web:
        registry = tmp_path / "sources.toml"
        registry.write_text(sources_toml(list(web.sites.values())), "utf-8")
        settings = {"KI_MONITOR_DB": db, "KI_MONITOR_SOURCES": str(registry), **FAST_CRAWL}
        scheduled = call(scrapyd + "schedule.json", [("project", PROJECT), ("spider", source),
                                                     *(("setting", f"{k}={v}") for k, v in settings.items())])
        assert scheduled["status"] == "ok", scheduled
        job = wait_for_job(scrapyd, scheduled["jobid"])
        expected = {web[source].article_url(e) for e in web[source].entries}
    log = (tmp_path / "scrapyd" / "logs" / PROJECT / source / f"{job['id']}.log").read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]

    feeds = tmp_path / "feeds"
    proc = subprocess.run([sys.executable, "-m", "monitor.cli", "feed", "--db", db, "--feeds-dir", str(feeds)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"{len(expected)} new" in proc.stdout
    parsed = feedparser.parse((feeds / "ki-news.xml").read_bytes())
    assert parsed.bozo == 0 and parsed.entries
    linked = {link.href for e in parsed.entries for link in e.links}
    assert linked & expected
