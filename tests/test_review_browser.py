"""A real browser (Debian's headless Chromium via Playwright) walks the review pages: overview →
release → diff, with screenshots, and a page full of scraped script runs none of it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pictures_support import stored_counts
from review_support import EDITED_SITE, EDITED_SLUG, HOSTILE_SLUG, Crawled, crawled_demo_web, serve
from sqlalchemy import select

from monitor.web.safety import CSP
from scrapers.kis import load_kis
from scrapers.sources import slugify
from storage.db import open_db
from storage.models import Fetch, Release

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    with crawled_demo_web(tmp_path_factory.mktemp("browser")) as c:
        yield c


@pytest.fixture(scope="module")
def base(crawled: Crawled) -> Iterator[str]:
    with serve(crawled.db, crawled.feeds) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page that records dialogs (alert & co.), console output, page errors and every request."""

    def __init__(self, browser, **context) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.close()


def release_id(crawled: Crawled, site_id: str, slug: str) -> int:
    site = crawled.web.sites[site_id]
    with open_db(str(crawled.db))() as s:
        return s.scalar(select(Release.id).where(Release.url == site.article_url(site.entry(slug))))


def test_reviewer_goes_from_overview_to_a_release_and_its_diff(base: str, crawled: Crawled, watched: Watched,
                                                               tmp_path: Path):
    page = watched.page
    reply = page.goto(base + "/")
    assert reply.status == 200 and reply.headers["content-security-policy"] == CSP
    assert page.locator("h1").inner_text() == "Besuche und Förderung"
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

    rid = release_id(crawled, EDITED_SITE, EDITED_SLUG)
    page.locator(f'h2 a[href="/release/{rid}"]').click()
    page.wait_for_url(f"{base}/release/{rid}")
    assert page.locator("h1").inner_text() == "Serap Güler zu Besuch"
    assert page.locator(".text mark").count() > 0  # evidence highlighted
    page.screenshot(path=str(tmp_path / "release.png"), full_page=True)

    page.get_by_role("link", name="Unterschiede").first.click()
    page.wait_for_url(re.compile(r".*/diff/\d+/\d+$"))
    inserted = page.locator("table.diff ins").all_inner_texts()
    assert any("weiteren Besuch im Herbst" in t for t in inserted)
    # The added words are visibly highlighted: the stylesheet loaded and applied.
    background = page.locator("table.diff ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(tmp_path / "diff.png"), full_page=True)
    assert (tmp_path / "diff.png").stat().st_size > 5_000

    assert watched.dialogs == [] and watched.errors == []
    assert not [m for m in watched.console if m.startswith("error")], watched.console  # no CSP violations
    assert all(u.startswith(base) for u in watched.requests), watched.requests


def test_pages_fit_a_phone_screen(base: str, crawled: Crawled, browser, tmp_path: Path):
    phone = Watched(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        rid = release_id(crawled, EDITED_SITE, EDITED_SLUG)
        for path in ("/sources", "/", f"/release/{rid}"):
            phone.page.goto(base + path)
            overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        phone.page.screenshot(path=str(tmp_path / "phone-release.png"), full_page=False)
    finally:
        phone.close()


def test_scraped_script_and_onerror_payloads_never_run(base: str, crawled: Crawled, watched: Watched):
    page = watched.page
    rid = release_id(crawled, "aachen", HOSTILE_SLUG)
    with open_db(str(crawled.db))() as s:
        url = s.get(Release, rid).url
        fetch_id = s.scalar(select(Fetch.id).where(Fetch.url == url))
    for path in (f"/release/{rid}", f"/snapshot/{fetch_id}", f"/snapshot/{fetch_id}?view=source", "/"):
        reply = page.goto(base + path)
        assert reply.status == 200
        assert reply.headers["content-security-policy"] == CSP
        page.wait_for_load_state("load")
        page.mouse.move(200, 200)  # hover handlers would fire now
    assert page.locator(".raw").count() == 0  # last page is the overview
    page.goto(base + f"/snapshot/{fetch_id}")
    assert "Leiterin des Kommunalen Integrationszentrums" in page.locator(".raw").inner_text()
    assert page.locator(".raw img, .raw script, .raw [onerror], .raw a[href]").count() == 0
    assert watched.dialogs == [], watched.dialogs
    assert watched.errors == []
    assert all(u.startswith(base) for u in watched.requests), watched.requests  # no external loads


def test_the_map_and_the_ki_pages_of_the_crawled_demo_web_count_what_is_stored(base: str, crawled: Crawled,
                                                                              watched: Watched):
    page = watched.page
    page.goto(base + "/")
    shown = dict(page.locator("svg.tilemap a.tile").evaluate_all("ts => ts.map(t => [t.dataset.ki, +t.dataset.count])"))
    stored = stored_counts(crawled.db)
    assert len(shown) == 54 and any(stored.values())
    assert shown == {k.name: stored.get(k.name, Counter())["visit"] + stored.get(k.name, Counter())["funding"]
                     for k in load_kis()}
    ki = next(k for k, c in stored.items() if c["visit"])
    page.locator(f'svg.tilemap a.tile[data-ki="{ki}"]').click()
    page.wait_for_url(f"{base}/ki/{slugify(ki)}")
    months = page.locator("#zeitleiste g.month").evaluate_all("gs => gs.map(g => +g.dataset.total)")
    assert sum(months) >= stored[ki]["visit"] + stored[ki]["funding"]  # plus the KI's other releases
    assert page.locator("ol.events li.event").count() == stored[ki]["visit"] + stored[ki]["funding"]
    assert watched.errors == [] and not [m for m in watched.console if m.startswith("error")]


def test_the_dialog_watch_would_catch_a_running_script(watched: Watched):
    """Control for the test above: the same watch sees an alert when script does run."""
    watched.page.set_content("<img src=x onerror=alert(1)><script>alert(2)</script>")
    watched.page.wait_for_timeout(200)
    assert sorted(watched.dialogs) == ["1", "2"]
