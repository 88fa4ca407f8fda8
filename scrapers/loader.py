"""Spider loader that makes one spider per registry source (``scrapy list`` shows them all)."""

from __future__ import annotations

from scrapy.http import Request
from scrapy.settings import BaseSettings

from scrapers.sources import Source, load_sources
from scrapers.spiders import families


def spider_class(source: Source) -> type:
    base = families.base_for(source)
    return type(f"{base.__name__}_{source.id.replace('-', '_')}", (base,), {"name": source.id, "source": source})


class RegistrySpiderLoader:
    def __init__(self, settings: BaseSettings) -> None:
        self.sources = {s.id: s for s in load_sources(settings.get("KI_MONITOR_SOURCES"))}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RegistrySpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type:
        try:
            return spider_class(self.sources[spider_name])
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self.sources)

    def find_by_request(self, request: Request) -> list[str]:
        return [s.id for s in self.sources.values() if request.url.startswith(s.url)]
