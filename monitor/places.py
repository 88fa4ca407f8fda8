"""Where a database's own files live when no option says otherwise: its feeds and its log.

Each database has a folder of its own, so two databases never write into each other's feeds:
beside a SQLite file (``feeds/`` for the default ``ki-monitor.db``, ``<name>-feeds/`` for any
other file), and for a server URL a folder per database under the data directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from storage.db import data_dir, locate, sqlite_path

DEFAULT_STEM = "ki-monitor"


def server_folder(url: str) -> Path:
    """``<data dir>/databases/<dialect>-<host>-<port>-<database>`` (never the password)."""
    parts = urlsplit(url)
    name = "-".join(p for p in (parts.scheme.split("+")[0], parts.hostname or "local",
                                str(parts.port or ""), parts.path.strip("/")) if p)
    return data_dir() / "databases" / re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def feeds_dir_for(db: str | None) -> Path:
    """The default feeds folder of a database."""
    url = locate(db)
    path = sqlite_path(url)
    if path is None:
        return server_folder(url) / "feeds"
    return path.parent / ("feeds" if path.stem == DEFAULT_STEM else f"{path.stem}-feeds")


def log_file_for(db: str | None) -> Path:
    """The default log file of runs on a database (the crawl's details go there)."""
    url = locate(db)
    path = sqlite_path(url)
    return (server_folder(url) if path is None else path.parent) / \
        ("ki-monitor.log" if path is None else f"{path.stem}.log")
