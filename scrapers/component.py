"""Base for our Scrapy components (middlewares, pipelines, extensions) that use the database."""

from __future__ import annotations

from typing import Self

from storage.db import open_db


class DatabaseComponent:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.factory = open_db(crawler.settings.get("KI_MONITOR_DB"))

    @classmethod
    def from_crawler(cls, crawler) -> Self:
        return cls(crawler)
