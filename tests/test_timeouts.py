"""A page that never answers in time: the crawl gives up on it, says so, loses nothing else,
and the next run picks the page up."""

from __future__ import annotations

from sqlalchemy import select

from monitor.demoweb import DemoWeb
from storage.db import open_db
from storage.models import Release


def test_a_hanging_page_times_out_without_failing_the_run_and_is_fetched_next_time(
        demo_web: DemoWeb, run_job, db_path):
    site = demo_web["muelheim-an-der-ruhr"]
    slow = site.entries[0]
    slow_path = site.family.article_path(slow)
    site.delays[slow_path] = 4.0
    first = run_job(settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"})
    by_source = {rs.source_id: rs for rs in first.sources}
    muelheim = by_source["muelheim-an-der-ruhr"]
    assert muelheim.errors >= 1
    assert all(rs.status == "ok" for rs in first.sources)  # one slow page is not a broken site
    with open_db(str(db_path))() as session:
        stored = set(session.scalars(select(Release.url)))
    expected = {s.article_url(e) for s in demo_web.sites.values() for e in s.entries}
    assert stored == expected - {site.article_url(slow)}

    del site.delays[slow_path]
    second = run_job()
    with open_db(str(db_path))() as session:
        assert site.article_url(slow) in set(session.scalars(select(Release.url)))
    assert second.diff.count()["new"] == 1
