"""Scrapy settings: polite by default (robots.txt, AutoThrottle, 2 requests per site)."""

import os

BOT_NAME = "ki-monitor"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
# Spiders come from the source registry, not from one module per site.
SPIDER_LOADER_CLASS = "scrapers.loader.RegistrySpiderLoader"

# Honest and reachable: who crawls and where to complain. Set KI_MONITOR_CONTACT to your own
# page or mail address, or the whole string with KI_MONITOR_USER_AGENT / -s USER_AGENT=...
CONTACT = os.environ.get("KI_MONITOR_CONTACT", "https://github.com/ki-monitor/ki-monitor")
USER_AGENT = os.environ.get(
    "KI_MONITOR_USER_AGENT",
    f"ki-monitor/0.1 (+{CONTACT}; press-release monitor for NRW's Kommunale Integrationszentren)",
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Library notes: 100 concurrent item tasks per response cost ~25 % on large crawls.
CONCURRENT_ITEMS = 10
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 12 * 1024 * 1024  # PDFs; HTML stops at KI_MONITOR_HTML_MAXSIZE
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Backoff between retries: base × 2ⁿ seconds, at most the cap (Retry-After wins if longer).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_ENABLED = True
# Our own conditional GET keeps validators in the database (see middlewares); Scrapy's
# filesystem cache would store every page a second time (library notes: 7 files per page).
HTTPCACHE_ENABLED = False
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    "scrapers.middlewares.ConditionalGetMiddleware": 590,
    # Before robots.txt (100): a host off the site is not even asked for its robots.txt.
    "scrapers.middlewares.SiteBoundaryMiddleware": 60,
    # A redirect loop fails its request (counted) instead of vanishing in the dupe filter.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapers.middlewares.LoopAwareRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scrapers.middlewares.LoopAwareMetaRefreshMiddleware": 580,
    # After decompression (590 on the way back): a gzip bomb is measured unpacked.
    "scrapers.middlewares.PageSizeMiddleware": 585,
}
ITEM_PIPELINES = {
    "scrapers.pipelines.ExtractPipeline": 100,
    "scrapers.pipelines.StorePipeline": 500,
}
EXTENSIONS = {"scrapers.pipelines.RunRecorder": 100}
LOG_LEVEL = os.environ.get("KI_MONITOR_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# ki-monitor's own settings (override with -s NAME=value).
KI_MONITOR_DB = None  # SQLAlchemy URL or SQLite path; default: $KI_MONITOR_DB or the data dir
KI_MONITOR_SOURCES = None  # registry TOML; default: $KI_MONITOR_SOURCES or the bundled one
KI_MONITOR_RUN_ID = None  # set by `ki-monitor run`; a hand crawl opens its own run
KI_MONITOR_SINCE = None  # ISO date: skip releases listed as older
KI_MONITOR_MAX_PAGES = None  # listing pages per source (overrides the registry's max_pages)
KI_MONITOR_EXTRACT_WORKERS = 1  # worker processes for extraction beside the crawl (0: inline)
# `ki-monitor run` sets this: the crawl stores raw fetches and ki-monitor extracts them while
# the crawl goes on (one process less, and the crawl keeps one core to itself).
KI_MONITOR_EXTRACT_LATER = False
KI_MONITOR_HTML_MAXSIZE = 4 * 1024 * 1024  # bytes of HTML at most (no press release is larger)
