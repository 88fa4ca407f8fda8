"""Crawl entry point run in a subprocess by ``ki-monitor run`` (Twisted's reactor cannot be
restarted in one process, so every run gets a fresh interpreter).

    python -m scrapers.crawl --run-id 7 [--db URL] [--sources FILE] [SOURCE_ID ...]
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.crawl")
    parser.add_argument("ids", nargs="*", help="source ids (default: every enabled source)")
    parser.add_argument("--run-id", type=int, required=True)
    parser.add_argument("--db")
    parser.add_argument("--sources")
    parser.add_argument("--since")
    parser.add_argument("--max-pages", type=int)
    parser.add_argument("--log-file")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any Scrapy setting, as `scrapy crawl -s` takes it")
    args = parser.parse_args(argv)

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scrapers.loader import spider_class
    from scrapers.sources import load_sources

    settings = get_project_settings()
    overrides = {"KI_MONITOR_RUN_ID": args.run_id, "KI_MONITOR_DB": args.db, "KI_MONITOR_SOURCES": args.sources,
                 "KI_MONITOR_SINCE": args.since, "KI_MONITOR_MAX_PAGES": args.max_pages,
                 "LOG_LEVEL": args.log_level, "LOG_FILE": args.log_file}
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    sources = load_sources(args.sources)
    chosen = [s for s in sources if (s.id in args.ids if args.ids else s.enabled)]
    process = CrawlerProcess(settings)
    for source in chosen:
        process.crawl(spider_class(source))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
