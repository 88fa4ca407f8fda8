"""The source registry: which sites to watch, from a TOML file validated on load.

Each ``[[source]]`` table names one site. Errors name the file, the entry and the key, the way
urlwatch reports a bad job, so a maintainer can fix the file without reading code.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

from scrapers.kis import STATEWIDE, ki_by_name

SOURCES_ENV = "KI_MONITOR_SOURCES"
DISCOVERY_MODES = ("auto", "feed", "sitemap", "listing")
# presseservice: presse-service.de, the press platform many Kreise publish on (meldungen.aspx?ps_id=N).
CMS_FAMILIES = ("typo3", "drupal", "gsb", "wordpress", "numeric", "presseservice")
HINT_KEYS = ("items", "link", "title", "date", "next", "body")
# Where a start URL comes from: seen on a real copy of the page, inferred from release URLs on
# the host, or nothing known (the host root; discovery must find the press pages itself).
BASES = ("verified", "seen", "inferred", "root")
# A district site with 15 years of releases: listing pages, archives, sitemaps and releases.
DEFAULT_PAGE_BUDGET = 3000
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
INTERVAL = re.compile(r"^(\d+)\s*([mhd])$")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def slugify(text: str, max_len: int | None = None) -> str:
    """``Städteregion Aachen`` → ``staedteregion-aachen``: the slug form of ids, feeds and URLs."""
    ascii_ = unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:max_len].rstrip("-") if max_len else slug


class SourceError(ValueError):
    """A registry file that does not validate; the message names file, entry and key."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    ki: str
    url: str
    discovery: str = "auto"
    cms: str | None = None
    enabled: bool = True
    interval: str | None = None
    max_pages: int = DEFAULT_PAGE_BUDGET  # page budget of one run: every request of the source counts
    since: str | None = None
    hints: dict[str, str] = field(default_factory=dict)
    urls: tuple[str, ...] = ()  # further start URLs (a KI's own site, a press platform list)
    hosts: tuple[str, ...] = ()  # further hosts the source may be crawled on
    basis: str | None = None  # where the start URL comes from (one of BASES)
    full_walk: str = "7d"  # how often later runs walk every channel to the end (edits, removals)

    @property
    def host(self) -> str:
        return urlparse(self.url).hostname or ""

    @property
    def start_urls(self) -> tuple[str, ...]:
        """The start URL and the further ones, in registry order, without repeats."""
        return tuple(dict.fromkeys((self.url, *self.urls)))

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """``host[:port]`` of every start URL plus the declared further hosts."""
        found = [_netloc(u) for u in self.start_urls] + [h.lower() for h in self.hosts]
        return tuple(dict.fromkeys(found))

    @property
    def full_walk_seconds(self) -> int:
        return _seconds(self.full_walk)

    @property
    def interval_seconds(self) -> int | None:
        return _seconds(self.interval) if self.interval else None

    def to_config(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in self.__dict__.items() if v not in (None, {}, ())}


def _seconds(interval: str) -> int:
    num, unit = INTERVAL.match(interval).groups()  # type: ignore[union-attr]
    return int(num) * {"m": 60, "h": 3600, "d": 86400}[unit]


def _netloc(url: str) -> str:
    """``www.example.de`` or ``127.0.0.1:8081``: the site part of a URL, lower case."""
    return (urlparse(url).netloc.rsplit("@", 1)[-1]).lower()


FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str, "name": str, "ki": str, "url": str, "discovery": str, "cms": str,
    "enabled": bool, "interval": str, "max_pages": int, "since": str, "hints": dict,
    "urls": list, "hosts": list, "basis": str, "full_walk": str,
}
REQUIRED = ("id", "url", "ki")


def default_path() -> Path:
    return Path(str(resources.files("scrapers").joinpath("data/sources.toml")))


def registry_path(path: str | os.PathLike | None = None) -> Path:
    """``--sources`` wins, then ``$KI_MONITOR_SOURCES``, then the bundled registry."""
    return Path(path or os.environ.get(SOURCES_ENV) or default_path())


def _check_entry(where: str, raw: dict, seen: set[str]) -> Source:
    for key in raw:
        if key not in FIELDS:
            raise SourceError(f"{where}: unknown key '{key}' (allowed: {', '.join(FIELDS)})")
    for key in REQUIRED:
        if not raw.get(key):
            raise SourceError(f"{where}: missing required key '{key}'")
    for key, value in raw.items():
        if not isinstance(value, FIELDS[key]) or (FIELDS[key] is int and isinstance(value, bool)):
            raise SourceError(f"{where}: key '{key}' must be {FIELDS[key].__name__}, got {value!r}")
    if not SLUG.match(raw["id"]):
        raise SourceError(f"{where}: key 'id' must be a slug (a-z, 0-9, - and _), got {raw['id']!r}")
    if raw["id"] in seen:
        raise SourceError(f"{where}: key 'id' {raw['id']!r} is used twice")
    if raw["ki"] != STATEWIDE and raw["ki"] not in ki_by_name():
        raise SourceError(f"{where}: key 'ki' {raw['ki']!r} is not one of the 54 KIs nor '{STATEWIDE}'")
    parsed = urlparse(raw["url"])
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SourceError(f"{where}: key 'url' must be an http(s) URL, got {raw['url']!r}")
    if raw.get("discovery", "auto") not in DISCOVERY_MODES:
        raise SourceError(f"{where}: key 'discovery' must be one of {', '.join(DISCOVERY_MODES)}")
    if raw.get("cms") and raw["cms"] not in CMS_FAMILIES:
        raise SourceError(f"{where}: key 'cms' must be one of {', '.join(CMS_FAMILIES)}, got {raw['cms']!r}")
    if raw.get("max_pages") is not None and raw["max_pages"] < 1:
        raise SourceError(f"{where}: key 'max_pages' must be at least 1")
    if raw.get("since"):
        try:
            date.fromisoformat(raw["since"])
        except ValueError:
            raise SourceError(f"{where}: key 'since' must be an ISO date (2024-01-31), got {raw['since']!r}") from None
    if raw.get("interval") and not INTERVAL.match(raw["interval"]):
        raise SourceError(f"{where}: key 'interval' must look like '30m', '6h' or '1d'")
    for key in ("urls", "hosts"):
        for value in raw.get(key, []):
            if not isinstance(value, str) or not value:
                raise SourceError(f"{where}: key '{key}' must be a list of strings, got {value!r}")
    for extra in raw.get("urls", []):
        extra_parsed = urlparse(extra)
        if extra_parsed.scheme not in ("http", "https") or not extra_parsed.hostname:
            raise SourceError(f"{where}: key 'urls' must list http(s) URLs, got {extra!r}")
    if raw.get("basis") and raw["basis"] not in BASES:
        raise SourceError(f"{where}: key 'basis' must be one of {', '.join(BASES)}, got {raw['basis']!r}")
    if raw.get("full_walk") and not INTERVAL.match(raw["full_walk"]):
        raise SourceError(f"{where}: key 'full_walk' must look like '12h', '7d' or '30d'")
    for hint in raw.get("hints", {}):
        if hint not in HINT_KEYS:
            raise SourceError(f"{where}: unknown key 'hints.{hint}' (allowed: {', '.join(HINT_KEYS)})")
    data = dict(raw)
    data.setdefault("name", raw["id"])
    for key in ("urls", "hosts"):
        if key in data:
            data[key] = tuple(data[key])
    return Source(**data)


def parse_registry(text: str, origin: str) -> list[Source]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{origin}: not valid TOML: {exc}") from exc
    extra = set(doc) - {"source"}
    if extra:
        raise SourceError(f"{origin}: unknown top-level key '{sorted(extra)[0]}' (only [[source]] tables)")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc.get("source", []), 1):
        where = f"{origin}: source #{i}" + (f" ({raw['id']})" if isinstance(raw.get("id"), str) else "")
        src = _check_entry(where, raw, seen)
        seen.add(src.id)
        sources.append(src)
    return sources


def load_sources(path: str | os.PathLike | None = None) -> list[Source]:
    file = registry_path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise SourceError(f"{file}: cannot read the source registry: {exc.strerror}") from exc
    return parse_registry(text, str(file))
