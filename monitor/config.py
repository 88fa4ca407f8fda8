"""The configuration file (``ki-monitor.toml``): when to run and what with.

    [schedule]
    time = "06:30"                # daily, in `timezone`
    timezone = "Europe/Berlin"
    every = "6h"                  # optional: the whole job at this interval instead of daily
    misfire_grace = "2h"          # a run missed (machine down) by less than this runs at start-up
    on_busy = "wait"              # another run holds the lock: "wait" for it or "skip" this one
    log_file = "/var/log/ki-monitor/schedule.log"   # rotated; default: standard error
    failing_after = 3             # `status`: a source failing this many runs in a row is reported

    [run]
    db = "/var/lib/ki-monitor/ki-monitor.db"
    sources = "/etc/ki-monitor/sources.toml"
    feeds_dir = "/var/lib/ki-monitor/feeds"
    base_url = "https://example.org/ki-feeds"
    max_pages = 3000              # page budget per source and run (every request counts)
    [run.settings]                # Scrapy settings for the crawl
    AUTOTHROTTLE_START_DELAY = 2

    [feeds]
    max_entries = 200             # newest N entries per feed
    max_days = 365                # and/or only events of the last D days
    updates = true                # show updated releases ("aktualisiert" and the change)
    health_in_main = true         # failing sources (failing_after runs in a row) in ki-news too

    [digest]                      # opt-in: a daily mail of the new visits and funding
    host = "smtp.example.org"
    port = 587                    # default: 587 (starttls), 465 (ssl), 25 (none)
    tls = "starttls"              # "starttls", "ssl" or "none"
    user = "ki-monitor"
    password_env = "KI_MONITOR_SMTP_PASSWORD"   # or password_file = "/etc/ki-monitor/smtp-password"
    sender = "ki-monitor@example.org"
    recipients = ["team@example.org"]
    time = "07:00"                # in `timezone`; sent then, or after the first run past it

Every key is checked when the file is read; an error names file, table and key (urlwatch
style), so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.feeds import DEFAULT_BASE_URL, FeedConfig, FeedTarget
from monitor.places import feeds_dir_for
from storage.db import data_dir

CONFIG_ENV = "KI_MONITOR_CONFIG"
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
DURATION = re.compile(r"^(\d+)\s*([smhd])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
ON_BUSY = ("wait", "skip")


class ConfigError(ValueError):
    """A configuration file that does not validate; the message names file, table and key."""


def parse_duration(value: str | int) -> int:
    """Seconds from ``90``, ``"90s"``, ``"30m"``, ``"6h"`` or ``"1d"``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = DURATION.match(str(value).strip())
    if not match:
        raise ValueError(f"expected seconds or a duration like '30m', '6h', '1d', got {value!r}")
    return int(match.group(1)) * UNITS[match.group(2)]


def parse_time(value: str) -> tuple[int, int, int]:
    match = TIME.match(value.strip())
    if not match:
        raise ValueError(f"expected HH:MM (24 h), got {value!r}")
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


DIGEST_TLS = {"starttls": 587, "ssl": 465, "none": 25}
DIGEST_TYPES: dict[str, type | tuple[type, ...]] = {
    "host": str, "port": int, "tls": str, "user": str, "password_env": str, "password_file": str,
    "sender": str, "recipients": list, "time": str,
}


@dataclass(frozen=True)
class DigestConfig:
    """``[digest]``: where the daily mail goes and how it gets there (no table, no mail)."""

    host: str
    recipients: tuple[str, ...]
    port: int | None = None
    tls: str = "starttls"
    user: str | None = None
    password_env: str | None = None  # the name of an environment variable holding the password
    password_file: str | None = None  # or a file holding it (first line)
    sender: str | None = None
    time: str = "07:00"

    @property
    def smtp_port(self) -> int:
        return self.port or DIGEST_TLS[self.tls]

    @property
    def from_address(self) -> str:
        return self.sender or f"ki-monitor@{self.host}"

    def password(self) -> str | None:
        """Read when sending, so the file holds no secret and a changed password needs no restart."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ConfigError(f"[digest] password_env: environment variable {self.password_env} is not set")
            return value
        if self.password_file:
            try:
                return Path(self.password_file).read_text("utf-8").splitlines()[0].strip()
            except (OSError, IndexError) as exc:
                raise ConfigError(f"[digest] password_file: cannot read {self.password_file}: {exc}") from None
        return None


def parse_digest(body: dict[str, Any], origin: str) -> DigestConfig:
    def fail(key: str, why: str) -> ConfigError:
        return ConfigError(f"{origin}: [digest] key '{key}' {why}")

    for key, value in body.items():
        if key not in DIGEST_TYPES:
            raise ConfigError(f"{origin}: [digest] unknown key '{key}' (allowed: {', '.join(DIGEST_TYPES)})")
        if not isinstance(value, DIGEST_TYPES[key]) or isinstance(value, bool):
            raise fail(key, f"must be {DIGEST_TYPES[key].__name__}, got {value!r}")  # type: ignore[union-attr]
    for key in ("host", "recipients"):
        if not body.get(key):
            raise fail(key, "is required")
    recipients = body["recipients"]
    if not all(isinstance(r, str) and "@" in r for r in recipients):
        raise fail("recipients", f"must be a list of mail addresses, got {recipients!r}")
    if body.get("tls", "starttls") not in DIGEST_TLS:
        raise fail("tls", f"must be one of {', '.join(DIGEST_TLS)}, got {body['tls']!r}")
    if not 0 < body.get("port", 1) < 65536:
        raise fail("port", f"must be a port number, got {body['port']}")
    if "password_env" in body and "password_file" in body:
        raise fail("password_file", "and 'password_env' exclude each other: give one")
    try:
        parse_time(body.get("time", "07:00"))
    except ValueError as exc:
        raise fail("time", str(exc)) from None
    return DigestConfig(**{**body, "recipients": tuple(recipients)})


@dataclass(frozen=True)
class Config:
    # [schedule]
    time: str = "06:30"
    timezone: str = "Europe/Berlin"
    every: str | None = None
    misfire_grace: int = 6 * 3600
    on_busy: str = "wait"
    log_file: str | None = None
    failing_after: int = 3
    # [run]
    db: str | None = None
    sources: str | None = None
    feeds_dir: str | None = None
    base_url: str | None = None  # default: where `serve` listens (DEFAULT_BASE_URL)
    max_pages: int | None = None
    since: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    # [feeds]
    max_entries: int | None = None
    max_days: int | None = None
    updates: bool | None = None
    health_in_main: bool | None = None
    # [digest]
    digest: DigestConfig | None = None

    def feed_config(self) -> FeedConfig:
        """Feed settings: this file's [feeds] keys over ``KI_MONITOR_FEED_*``; the health
        threshold is ``failing_after``, so feed and ``status`` agree."""
        base = FeedConfig.from_env()
        return replace(
            base,
            max_entries=self.max_entries or base.max_entries,
            max_days=self.max_days if self.max_days is not None else base.max_days,
            show_updates=self.updates if self.updates is not None else base.show_updates,
            health_in_main=self.health_in_main if self.health_in_main is not None else base.health_in_main,
            health_threshold=self.failing_after,
        )

    def feed_target(self, db: str | None = None, feeds_dir: str | os.PathLike | None = None,
                    base_url: str | None = None, served_at: str | None = None) -> FeedTarget:
        """Options win over this file's [run] feeds_dir / base_url; a server that knows its own
        URL (``served_at``) comes next, then the defaults."""
        folder = feeds_dir or self.feeds_dir
        return FeedTarget(Path(folder) if folder else feeds_dir_for(db or self.db),
                          (base_url or self.base_url or served_at or DEFAULT_BASE_URL).rstrip("/"),
                          self.feed_config())

    @property
    def public_url(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    @property
    def every_seconds(self) -> int | None:
        return parse_duration(self.every) if self.every else None

    def merged(self, **overrides: Any) -> Config:
        """Command-line values win over the file; ``None`` means "not given"."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if given.get("settings"):
            given["settings"] = {**self.settings, **given["settings"]}
        return check(replace(self, **given), "command line")


SCHEDULE_KEYS = ("time", "timezone", "every", "misfire_grace", "on_busy", "log_file", "failing_after")
RUN_KEYS = ("db", "sources", "feeds_dir", "base_url", "max_pages", "since", "settings")
FEEDS_KEYS = ("max_entries", "max_days", "updates", "health_in_main")
TABLES = {"schedule": SCHEDULE_KEYS, "run": RUN_KEYS, "feeds": FEEDS_KEYS}
TYPES: dict[str, type | tuple[type, ...]] = {
    "time": str, "timezone": str, "every": (str, int), "misfire_grace": (str, int), "on_busy": str,
    "log_file": str, "failing_after": int, "db": str, "sources": str, "feeds_dir": str,
    "base_url": str, "max_pages": int, "since": str, "settings": dict,
    "max_entries": int, "max_days": int, "updates": bool, "health_in_main": bool,
}


def _table_of(key: str) -> str:
    return next(t for t, keys in TABLES.items() if key in keys)


def check(cfg: Config, origin: str) -> Config:
    """Semantic checks of every value; raises ConfigError naming where the value came from."""

    def fail(key: str, why: str) -> ConfigError:
        return ConfigError(f"{origin}: [{_table_of(key)}] key '{key}' {why}")

    try:
        parse_time(cfg.time)
    except ValueError as exc:
        raise fail("time", str(exc)) from None
    try:
        ZoneInfo(cfg.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"is not a known time zone (e.g. 'Europe/Berlin'), got {cfg.timezone!r}") from None
    for key in ("every", "misfire_grace"):
        value = getattr(cfg, key)
        if value is None:
            continue
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise fail(key, str(exc)) from None
        if key == "every" and seconds < 1:
            raise fail(key, "must be at least 1 second")
    if cfg.on_busy not in ON_BUSY:
        raise fail("on_busy", f"must be one of {', '.join(ON_BUSY)}, got {cfg.on_busy!r}")
    if cfg.failing_after < 1:
        raise fail("failing_after", f"must be at least 1, got {cfg.failing_after}")
    for key in ("max_pages", "max_entries", "max_days"):
        value = getattr(cfg, key)
        if value is not None and value < 1:
            raise fail(key, f"must be at least 1, got {value}")
    if cfg.since:
        try:
            date.fromisoformat(cfg.since)
        except ValueError:
            raise fail("since", f"must be an ISO date (2024-01-31), got {cfg.since!r}") from None
    return replace(cfg, misfire_grace=parse_duration(cfg.misfire_grace))


def parse_config(text: str, origin: str) -> Config:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from exc
    values: dict[str, Any] = {}
    for table, body in doc.items():
        if table == "digest" and isinstance(body, dict):
            values["digest"] = parse_digest(body, origin)
            continue
        if table not in TABLES:
            allowed = ", ".join(f"[{t}]" for t in (*TABLES, "digest"))
            raise ConfigError(f"{origin}: unknown table [{table}] (allowed: {allowed})")
        if not isinstance(body, dict):
            raise ConfigError(f"{origin}: '{table}' must be a table ([{table}])")
        for key, value in body.items():
            if key not in TABLES[table]:
                raise ConfigError(f"{origin}: [{table}] unknown key '{key}' (allowed: {', '.join(TABLES[table])})")
            want = TYPES[key]
            names = " or ".join(t.__name__ for t in (want if isinstance(want, tuple) else (want,)))
            if not isinstance(value, want) or (isinstance(value, bool) and want is not bool):
                raise ConfigError(f"{origin}: [{table}] key '{key}' must be {names}, got {value!r}")
            values[key] = value
    settings = values.get("settings", {})
    for name, value in settings.items():
        if not isinstance(value, str | int | float | bool):
            raise ConfigError(f"{origin}: [run.settings] key '{name}' must be a string or number, got {value!r}")
    if settings:
        values["settings"] = {k: str(v) for k, v in settings.items()}
    return check(Config(**values), origin)


def default_config_path() -> Path:
    return data_dir() / "ki-monitor.toml"


def load_config(path: str | os.PathLike | None = None) -> Config:
    """``--config`` wins, then ``$KI_MONITOR_CONFIG``, then ``<data dir>/ki-monitor.toml`` if it
    exists; without any file the defaults apply."""
    explicit = path or os.environ.get(CONFIG_ENV)
    file = Path(explicit) if explicit else default_config_path()
    if not explicit and not file.exists():
        return Config()
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the configuration file: {exc.strerror}") from exc
    return parse_config(text, str(file))

