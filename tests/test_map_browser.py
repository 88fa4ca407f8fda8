"""The pictures in a real browser (Debian's headless Chromium via Playwright) over a generated
year of events: the map, the timelines and the small multiples render, their numbers match the
database, they fit a phone screen and each has a title per shape and a table behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pictures_support import YEAR, Year, generate_year, stored_counts
from review_support import serve
from test_review_browser import ARGS, CHROMIUM, Watched

from monitor.web.pictures import NOTHING, RAMPS
from scrapers.kis import load_kis
from scrapers.sources import slugify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]
PERIOD = f"from={YEAR}-01-01&to={YEAR}-12-31"
PERIOD_TEXT = f"01.01.{YEAR}–31.12.{YEAR}"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return generate_year(tmp_path_factory.mktemp("map") / "ki.db")


@pytest.fixture(scope="module")
def base(year: Year, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(year.db, tmp_path_factory.mktemp("feeds")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    w = Watched(browser, viewport={"width": 1100, "height": 900})
    yield w
    assert w.dialogs == [] and w.errors == []
    assert not [m for m in w.console if m.startswith("error")], w.console  # no CSP violations
    w.close()


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def test_the_map_shows_every_ki_with_the_counts_of_the_database(base: str, year: Year, watched: Watched,
                                                                tmp_path: Path):
    page = watched.page
    page.goto(f"{base}/?{PERIOD}")
    tiles = page.locator("svg.tilemap a.tile")
    assert tiles.count() == 54
    stored = stored_counts(year.db)
    assert {k: c["visit"] for k, c in stored.items() if c["visit"]} == +year.visits  # generator and tables agree
    shown = tiles.evaluate_all("""ts => ts.map(t => [t.dataset.ki, +t.dataset.count,
        t.querySelector('title').textContent, t.querySelector('rect').getAttribute('fill'),
        t.getBoundingClientRect().width])""")
    most = max(c["visit"] + c["funding"] for c in stored.values())
    for ki, count, title, fill, width in shown:
        c = stored.get(ki, Counter())
        assert count == c["visit"] + c["funding"], ki
        assert title == (f"{ki}: {plural(c['visit'], 'Besuch', 'Besuche')}, "
                         f"{plural(c['funding'], 'Förderung', 'Förderungen')} ({PERIOD_TEXT})")
        assert fill == (NOTHING if count == 0 else RAMPS[None][4] if count == most else fill)
        assert fill != NOTHING or count == 0
        assert width > 20  # drawn, not collapsed
    page.locator("#karte").screenshot(path=str(tmp_path / "map.png"))
    assert (tmp_path / "map.png").stat().st_size > 10_000
    assert page.locator("svg.tilemap path.rb").count() == 5  # the Regierungsbezirke outlined

    # the table behind the map has the same numbers and links to each KI's feed
    page.locator("details.behind summary").first.click()
    rows = page.locator("#karte-tabelle tbody tr").evaluate_all(
        "rs => rs.map(r => [r.dataset.ki, +r.querySelector('.visits').textContent, "
        "+r.querySelector('.funding').textContent, r.querySelector('a[href$=\".atom\"]').getAttribute('href')])")
    assert len(rows) == 54
    for ki, visits, funding, feed in rows:
        assert (visits, funding) == (stored.get(ki, Counter())["visit"], stored.get(ki, Counter())["funding"])
        assert feed == f"/feeds/ki-{slugify(ki)}.atom"


def test_the_map_of_visits_counts_visits_and_its_tiles_lead_to_the_ki_page(base: str, year: Year, watched: Watched):
    page = watched.page
    page.goto(f"{base}/?type=visit&{PERIOD}")
    counts = dict(page.locator("svg.tilemap a.tile").evaluate_all("ts => ts.map(t => [t.dataset.ki, +t.dataset.count])"))
    assert counts == {k.name: year.visits[k.name] for k in load_kis()}
    page.locator('svg.tilemap a.tile[data-ki="Köln"]').click()
    page.wait_for_url(f"{base}/ki/koeln")
    assert page.locator("h1").inner_text() == "Kommunales Integrationszentrum Köln"


def test_a_ki_page_has_its_timeline_feed_and_events(base: str, year: Year, watched: Watched, tmp_path: Path):
    page = watched.page
    reply = page.goto(f"{base}/ki/koeln")
    assert reply.status == 200
    months = dict(page.locator("#zeitleiste g.month").evaluate_all(
        "gs => gs.map(g => [g.dataset.month, +g.dataset.total])"))
    expected = year.per_month["Köln"]
    for month in range(1, 13):
        assert months[f"{YEAR}-{month:02d}"] == expected[(month, "visit")] + expected[(month, "funding")]
    busiest = max(range(1, 13), key=lambda m: expected[(m, "visit")] + expected[(m, "funding")])
    assert page.locator(f'#zeitleiste g.month[data-month="{YEAR}-{busiest:02d}"] rect[height]').count() >= 2
    assert page.locator('link[rel="alternate"][href="/feeds/ki-koeln.atom"]').count() == 1
    assert page.locator("ol.events li.event").count() == year.visits["Köln"] + year.funding["Köln"]
    table = page.locator("#zeitleiste-tabelle tbody tr").count()
    assert table == sum(1 for m in range(1, 13) if months[f"{YEAR}-{m:02d}"])
    page.screenshot(path=str(tmp_path / "ki.png"), full_page=True)


def test_the_small_multiples_hold_every_ki_and_year(base: str, year: Year, watched: Watched):
    page = watched.page
    page.goto(f"{base}/")
    page.locator("details.multiples summary").click()
    cells = page.locator(f'#kleine-vielfache td[data-year="{YEAR}"]').evaluate_all(
        "cs => cs.map(c => [c.closest('tr').dataset.ki, +c.dataset.total, c.querySelector('svg').getBoundingClientRect().width])")
    assert len(cells) == 54
    for ki, total, width in cells:
        assert total == year.visits[ki] + year.funding[ki], ki
        assert width > 30


def test_the_tour_route_is_drawn_over_its_stops(base: str, watched: Watched, tmp_path: Path):
    page = watched.page
    page.goto(f"{base}/tour/josefine-paul-2025-07-07")
    route = page.locator("svg.tilemap path.route").bounding_box()
    assert route["width"] > 100  # Borken to Bielefeld spans the Münsterland
    assert page.locator("svg.tilemap g.stop").count() == 4
    assert page.locator("ol.stops > li").all_inner_texts()[0].startswith("07.07.2025 · Kreis Borken")
    page.screenshot(path=str(tmp_path / "tour.png"), full_page=True)


def test_the_pictures_fit_a_phone_screen(base: str, browser):
    phone = Watched(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        for path in ("/", "/ki/koeln", "/tours", "/tour/josefine-paul-2025-07-07"):
            phone.page.goto(base + path)
            overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        phone.page.goto(base + "/")
        box = phone.page.locator("svg.tilemap").bounding_box()
        assert 300 <= box["width"] <= 390
        label = phone.page.locator("svg.tilemap text.short").first.bounding_box()
        assert label["height"] >= 8  # still readable when the map shrinks to the screen
    finally:
        phone.close()
