"""The same-host link-follower over the big test web: what a bare Scrapy CrawlSpider finds.

The number to beat. A ``CrawlSpider`` with one ``LinkExtractor`` rule follows every same-host
``<a href>`` from each start URL (robots.txt obeyed, Scrapy's defaults otherwise: cookies on,
PDF links skipped by ``deny_extensions``, feeds and sitemaps never parsed) with a budget of
``--budget`` requests per site so session-id traps end. Recall is the share of truth releases
whose canonical URL or an alias (ignoring session ids and ``utm_*``) was fetched.
Run ``python -m bench.bigweb_baseline`` from the repository root.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from tests.bigweb import BigWeb, SiteTruth
from tests.bigweb.truth import normalized


class SameHostSpider(CrawlSpider):
    name = "bigweb-baseline"
    rules = (Rule(LinkExtractor(), callback="page_seen", follow=True, process_request="within_budget"),)

    def __init__(self, start_urls: list[str], budget: int, fetched: set[str], **kwargs) -> None:
        self.start_urls = start_urls
        self.allowed_domains = ["127.0.0.1"]
        self.budget, self.fetched = budget, fetched
        self.scheduled: Counter[str] = Counter()
        self.known: set[str] = set()
        super().__init__(**kwargs)

    def within_budget(self, request, response):
        """Same host:port only; a new URL counts against the site's budget, repeats are left to the dupefilter."""
        netloc = urlsplit(request.url).netloc
        if urlsplit(response.url).netloc != netloc:
            return None
        if request.url not in self.known:
            if self.scheduled[netloc] >= self.budget:
                return None
            self.known.add(request.url)
            self.scheduled[netloc] += 1
        return request

    def page_seen(self, response):
        self.fetched.add(response.url)
        self.fetched.update(response.request.meta.get("redirect_urls", []))

    def parse_start_url(self, response):
        self.page_seen(response)
        return []


def recall(site: SiteTruth, fetched: set[str]) -> float:
    seen = {normalized(u) for u in fetched}
    found = sum(1 for r in site.releases if any(normalized(u) in seen for u in r.urls()))
    return found / len(site.releases) if site.releases else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--budget", type=int, default=3000, help="requests per site (ends session-id traps)")
    args = parser.parse_args()
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no internet: its bundled list is used
    fetched: set[str] = set()
    with BigWeb(seed=args.seed, scale=args.scale).serve() as live:
        sites = live.sites
        process = CrawlerProcess({"LOG_LEVEL": args.log_level, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
                                  "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                                  "CONCURRENT_ITEMS": 10, "USER_AGENT": "bigweb-baseline"})
        process.crawl(SameHostSpider, start_urls=[s.start_url for s in sites], budget=args.budget, fetched=fetched)
        began = time.perf_counter()
        process.start()
        wall = time.perf_counter() - began
        rows = [(s, len(live.requests(s.slug)), recall(s, fetched)) for s in sites]
    total_requests = sum(n for _, n, _ in rows)
    total_releases = sum(len(s.releases) for s, _, _ in rows)
    found = sum(round(r * len(s.releases)) for s, _, r in rows)
    print(f"{'site':38} {'family':14} {'releases':>8} {'requests':>8} {'recall':>7}")
    for site, requests, share in rows:
        print(f"{site.slug:38} {site.family:14} {len(site.releases):8d} {requests:8d} {share:7.1%}")
    print(f"{'total':38} {'':14} {total_releases:8d} {total_requests:8d} {found / total_releases:7.1%}")
    print(f"wall {wall:.1f} s, {total_requests / wall:.0f} pages/s (servers and crawler share one process)")


if __name__ == "__main__":
    main()
