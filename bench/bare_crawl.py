"""A bare Scrapy crawl of a listing site: follow pagination and article links, keep nothing.

The baseline for bench/pipeline.py: same pages, same download settings, no extraction,
no storage. Run as ``python bench/bare_crawl.py START_URL``.
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from bench.settings import DOWNLOAD_SETTINGS


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        for href in response.css("main a::attr(href)").getall():
            if "/presse/" in href and href.endswith(".html"):
                yield response.follow(href, callback=self.article)
        nxt = response.css("a[rel=next]::attr(href)").get()
        if nxt:
            yield response.follow(nxt, callback=self.parse)

    def article(self, response):
        return None


if __name__ == "__main__":
    process = CrawlerProcess({**DOWNLOAD_SETTINGS, "LOG_LEVEL": "WARNING"})
    process.crawl(BareSpider, start=sys.argv[1])
    process.start()
