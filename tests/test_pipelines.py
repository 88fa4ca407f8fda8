"""Item pipelines: extraction of saved pages (HTML, PDF) and storing fetches in the database."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from file_responses import file_response
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from scrapers.items import PageItem
from scrapers.pipelines import ExtractPipeline, RunRecorder, StorePipeline
from scrapers.sources import Source
from storage.db import open_db
from storage.models import Body, Fetch, RunSource

SOURCE = Source(id="land-nrw", name="Land NRW", ki="NRW", url="https://www.land.nrw/pressemitteilungen")


def item_from(site: str, name: str, url: str, kind: str = "release") -> PageItem:
    response = file_response(site, name, url)
    headers = {k.decode().lower(): v[0].decode() for k, v in response.headers.items()}
    return PageItem(source_id=site, kind=kind, url=url, final_url=url, status=200, headers=headers,
                    body=response.body)


def crawler_for(db: Path, **settings):
    crawler = get_crawler(settings_dict={"KI_MONITOR_DB": str(db), "KI_MONITOR_EXTRACT_WORKERS": 0, **settings})
    crawler.spider = type("S", (), {"run_id": None, "source": SOURCE})()
    return crawler


def extract(crawler, item: PageItem) -> PageItem:
    return asyncio.run(ExtractPipeline.from_crawler(crawler).process_item(item))


def test_html_release_yields_title_date_and_text_without_navigation(tmp_path: Path):
    item = extract(crawler_for(tmp_path / "k.db"),
                   item_from("land-nrw", "pressemitteilung_seed004.html", "https://www.land.nrw/pressemitteilung/seed004"))
    assert item.error is None
    assert item.title.startswith("Staatssekretärin Güler und Staatsministerin Widmann-Mauz")
    assert item.published == date(2018, 10, 2)
    assert "Widmann-Mauz" in item.text
    assert "Alle akzeptieren" not in item.text and "Barrierefreiheit" not in item.text


def test_pdf_release_loses_letterhead_and_page_marks(tmp_path: Path):
    item = extract(crawler_for(tmp_path / "k.db"),
                   item_from("stk-nrw", "system_files_pressemitteilungen_seed002.pdf", "https://www.land.nrw/x.pdf"))
    assert item.error is None
    assert item.published == date(2018, 7, 18)
    assert "Seite 1 von 2" not in item.text and "Seite 2 von 2" not in item.text
    assert item.text.count("Staatskanzlei · Pressestelle") == 0
    # The sentence broken by the page break reads as one sentence again.
    assert "neues gesamtstädtisches Konzept für die Integration von zugewanderten Menschen, das ihre" in item.text


def test_broken_pdf_is_an_error_not_a_crash(tmp_path: Path):
    item = PageItem(source_id="stk-nrw", kind="release", url="https://x/y.pdf", final_url="https://x/y.pdf",
                    status=200, headers={"content-type": "application/pdf"}, body=b"%PDF-1.4 truncated garbage")
    item = extract(crawler_for(tmp_path / "k.db"), item)
    assert item.text is None and item.error


@pytest.mark.parametrize("kind", ["listing", "feed"])
def test_non_release_pages_are_stored_but_not_extracted(tmp_path: Path, kind: str):
    item = extract(crawler_for(tmp_path / "k.db"),
                   item_from("land-nrw", "pressemitteilungen.html", "https://www.land.nrw/pressemitteilungen", kind))
    assert item.text is None


def test_store_pipeline_writes_every_fetch_with_one_body_per_content(tmp_path: Path):
    db = tmp_path / "k.db"
    crawler = crawler_for(db)
    store = StorePipeline.from_crawler(crawler)
    url = "https://www.land.nrw/pressemitteilung/seed004"
    for _ in range(3):
        store.process_item(extract(crawler, item_from("land-nrw", "pressemitteilung_seed004.html", url)))
    asyncio.run(store.close_spider())
    with open_db(str(db))() as session:
        fetches = session.scalars(select(Fetch)).all()
        assert len(fetches) == 3
        assert len({f.body_sha256 for f in fetches}) == 1
        assert len(session.scalars(select(Body)).all()) == 1
        assert fetches[0].published == date(2018, 10, 2) and fetches[0].etag is None
        assert fetches[0].headers["content-type"].startswith("text/html")


def test_run_recorder_opens_its_own_run_for_a_hand_crawl(tmp_path: Path):
    db = tmp_path / "k.db"
    crawler = crawler_for(db)
    recorder = RunRecorder.from_crawler(crawler)
    spider = crawler.spider
    crawler.stats.open_spider()
    recorder.spider_opened(spider)
    crawler.stats.set_value("downloader/request_count", 4)
    crawler.stats.set_value("downloader/response_status_count/200", 3)
    crawler.stats.set_value("downloader/response_status_count/304", 1)
    recorder.spider_closed(spider, "finished")
    with open_db(str(db))() as session:
        rs = session.scalars(select(RunSource)).one()
        assert rs.source_id == "land-nrw" and rs.status == "ok"
        assert rs.requests == 4 and rs.responses == {"200": 3, "304": 1}
        assert rs.run.trigger == "scrapy" and rs.run.status in ("ok", "partial")
