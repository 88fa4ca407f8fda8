"""What ``ki-monitor sources check`` finds live, per source and per start URL, and how
``--write`` records it in the registry.

Each start URL is first fetched once, redirects followed by hand, so a 404 or a redirect to
another site is named for that URL (a crawl would only say "nothing found"). The URLs that
answer are then crawled in discovery-only mode, each as a source of its own, so every start
URL gets its own release count whatever the spider does with several start URLs. ``--write``
marks a source ``basis = "verified"`` when its main start URL yielded releases and takes over
permanent redirects that stay on the source's hosts, editing the TOML with tomlkit so comments
and layout survive.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from monitor.commands.common import Failure
from scrapers.sources import Source

MAX_REDIRECTS = 10
PERMANENT = (301, 308)
PROBE_TIMEOUT = 30.0


@dataclass
class UrlCheck:
    """One start URL: how it answered, and what discovery found there."""

    url: str
    status: int | None = None  # the final answer's HTTP status (None: no answer)
    final_url: str | None = None
    permanent: bool = False  # every redirect on the way was 301/308
    off_site: bool = False  # the redirects left the source's hosts
    error: str | None = None  # no answer at all (DNS, refused, timeout)
    discovery: str | None = None  # the channels that listed releases ("feed+listing")
    channels: dict = field(default_factory=dict)  # the spider's per-channel figures
    releases: int = 0
    newest: str | None = None
    crawl_error: str | None = None
    sample: list[dict] = field(default_factory=list)

    @property
    def redirected(self) -> bool:
        return self.final_url is not None and self.final_url != self.url

    @property
    def answered(self) -> bool:
        return self.status is not None and self.status < 400 and not self.off_site

    @property
    def problem(self) -> str | None:
        """Why this start URL is no good, in a few words; None when it yields releases."""
        if self.error:
            return f"unreachable: {self.error}"
        if self.off_site:
            return f"redirects off-site to {self.final_url}"
        if self.status is not None and self.status >= 400:
            return f"answers HTTP {self.status}"
        if not self.releases:
            return "yields no releases" + (f" ({self.crawl_error})" if self.crawl_error else "")
        return None

    def to_json(self) -> dict:
        return {**asdict(self), "problem": self.problem}


@dataclass
class SourceCheck:
    source: Source
    urls: list[UrlCheck]

    @property
    def main(self) -> UrlCheck:
        return self.urls[0]

    def to_json(self) -> dict:
        """Per source (the main start URL's figures, releases summed) and per start URL."""
        dates = [u.newest for u in self.urls if u.newest]
        return {"id": self.source.id, "url": self.source.url, "discovery": self.main.discovery,
                "candidates": sum(u.releases for u in self.urls), "newest": max(dates) if dates else None,
                "error": self.main.problem, "urls": [u.to_json() for u in self.urls]}


def _site_key(netloc: str) -> str:
    return netloc.lower().removeprefix("www.")


def on_hosts(url: str, hosts: tuple[str, ...]) -> bool:
    """On one of the hosts (``www.`` or not, same port)."""
    return _site_key(urlparse(url).netloc) in {_site_key(h) for h in hosts}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # each hop is followed (and judged) by probe()
        return None


def probe(url: str, hosts: tuple[str, ...], user_agent: str, timeout: float = PROBE_TIMEOUT) -> UrlCheck:
    """Fetch one start URL, following redirects by hand to see where they lead."""
    opener = urllib.request.build_opener(_NoRedirects)
    check, current, permanent = UrlCheck(url), url, True
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(current, headers={"User-Agent": user_agent})
        try:
            with opener.open(request, timeout=timeout) as response:
                status, location = response.status, None
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location")
            exc.close()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            check.error = str(getattr(exc, "reason", None) or exc)
            return check
        if status in (301, 302, 303, 307, 308) and location:
            permanent = permanent and status in PERMANENT
            current = urljoin(current, location)
            if not on_hosts(current, hosts):
                check.status, check.final_url, check.off_site = status, current, True
                return check
            continue
        check.status, check.final_url, check.permanent = status, current, permanent and current != url
        return check
    check.error = f"more than {MAX_REDIRECTS} redirects"
    return check


def _probe_all(sources: list[Source], user_agent: str) -> list[SourceCheck]:
    jobs = [(s, u) for s in sources for u in s.start_urls]
    with ThreadPoolExecutor(max_workers=4) as pool:
        probed = list(pool.map(lambda job: probe(job[1], job[0].allowed_hosts, user_agent), jobs))
    by_source: dict[str, list[UrlCheck]] = {}
    for (source, _), check in zip(jobs, probed, strict=True):
        by_source.setdefault(source.id, []).append(check)
    return [SourceCheck(s, by_source[s.id]) for s in sources]


def _channel_id(source: Source, index: int) -> str:
    return f"{source.id}__{index}"


def per_url_registry(checks: list[SourceCheck]) -> tuple[str, list[str]]:
    """A registry with one source per answering start URL (the source's hosts, cms, hints),
    each at the address its redirects lead to."""
    import tomlkit

    entries, ids = [], []
    for check in checks:
        s = check.source
        for i, url in enumerate(check.urls):
            if not url.answered:
                continue
            # Crawled where its redirects lead: the spider takes a start URL's redirect as the answer.
            entry = {"id": _channel_id(s, i), "ki": s.ki, "url": url.final_url or url.url, "discovery": s.discovery,
                     "hosts": list(s.allowed_hosts)}
            entry.update({k: v for k, v in (("cms", s.cms), ("hints", s.hints)) if v})
            entries.append(entry)
            ids.append(entry["id"])
    return tomlkit.dumps({"source": entries}) if entries else "", ids


def _crawl(registry_text: str, ids: list[str], max_pages: int, settings: tuple[str, ...]) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="ki-monitor-check-") as tmp:
        registry, report = Path(tmp) / "sources.toml", Path(tmp) / "report.json"
        registry.write_text(registry_text, "utf-8")
        cmd = [sys.executable, "-m", "scrapers.crawl", "--db", str(Path(tmp) / "check.db"),
               "--sources", str(registry), "--discover-only", "--report", str(report),
               "--max-pages", str(max_pages), "--log-file", str(Path(tmp) / "crawl.log"), *ids]
        for setting in settings:
            cmd += ["--set", setting]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not report.exists():
            log = Path(tmp) / "crawl.log"
            tail = (proc.stderr or (log.read_text("utf-8", "replace") if log.exists() else ""))[-1500:]
            raise Failure(f"the check crawl failed (exit {proc.returncode}):\n{tail}")
        return {r["id"]: r for r in json.loads(report.read_text("utf-8"))}


def check_sources(sources: list[Source], max_pages: int, settings: tuple[str, ...] = ()) -> list[SourceCheck]:
    """Probe every start URL of the sources, then crawl the ones that answer (discovery only)."""
    from scrapers.settings import USER_AGENT

    checks = _probe_all(sources, USER_AGENT)
    text, ids = per_url_registry(checks)
    found = _crawl(text, ids, max_pages, settings) if ids else {}
    for check in checks:
        for i, url in enumerate(check.urls):
            if (r := found.get(_channel_id(check.source, i))) is not None:
                url.discovery, url.releases, url.newest = r["discovery"], r["candidates"], r["newest"]
                url.sample, url.channels = r.get("sample", []), r.get("channels") or {}
                url.crawl_error = None if r["candidates"] else (r["error"] or "; ".join(r["errors"][:2]) or None)
    return checks


def write_verified(path: Path, checks: list[SourceCheck]) -> list[str]:
    """Record in the registry file what the check verified; returns what changed, one line each.

    A source whose main start URL yielded releases gets ``basis = "verified"``; a start URL that
    yielded releases behind a permanent redirect on the source's hosts is replaced by its target.
    Nothing is removed: a URL that failed today may answer tomorrow.
    """
    import tomlkit

    from scrapers.sources import SourceError, parse_registry

    text = path.read_text("utf-8")
    doc = tomlkit.parse(text)
    tables = {str(t.get("id")): t for t in doc.get("source", [])}
    changes: list[str] = []
    for check in checks:
        table = tables.get(check.source.id)
        if table is None:
            continue
        for url in check.urls:
            if url.problem is None and url.permanent and url.final_url:
                if table.get("url") == url.url:
                    table["url"] = url.final_url
                elif url.url in (table.get("urls") or []):
                    extra = table["urls"]
                    extra[list(extra).index(url.url)] = url.final_url
                changes.append(f"{check.source.id}: {url.url} → {url.final_url} (moved permanently)")
        if check.main.problem is None and table.get("basis") != "verified":
            table["basis"] = "verified"
            changes.append(f"{check.source.id}: basis = \"verified\"")
    new_text = tomlkit.dumps(doc)
    try:
        parse_registry(new_text, str(path))  # never write a registry that does not load
    except SourceError as exc:
        raise Failure(str(exc)) from exc
    if new_text != text:
        path.write_text(new_text, "utf-8")
    return changes
