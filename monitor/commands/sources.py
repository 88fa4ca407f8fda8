"""``ki-monitor sources``: list, add and check the sites in the source registry.

``add`` edits the TOML with tomlkit so comments and layout survive; the result is validated
before it is written. ``check`` runs a real discovery crawl in a subprocess against a
throwaway database and prints what each source's discovery found.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import click

from monitor.commands.common import Failure, sources_option


def _registry(path: str | None) -> Path:
    from scrapers.sources import registry_path

    return registry_path(path)


def slug_for(url: str, taken: set[str]) -> str:
    """An id from the host: ``www.kreis-borken.de`` → ``kreis-borken`` (``-2`` when taken)."""
    from scrapers.sources import SLUG

    host = (urlparse(url).hostname or "").removeprefix("www.")
    parts = host.split(".")
    base = "-".join(parts[:-1] if len(parts) > 1 else parts).lower()
    base = "".join(c if c.isalnum() or c == "-" else "-" for c in base).strip("-") or "source"
    slug, n = base, 2
    while slug in taken or not SLUG.match(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


@click.group()
def sources() -> None:
    """The watched sites: list them, add one by its URL, check what discovery finds."""


@sources.command("list")
@sources_option
def list_cmd(sources: str | None) -> None:
    """List the sources of the registry."""
    from scrapers.sources import load_sources

    rows = load_sources(sources)
    width = max((len(s.id) for s in rows), default=2)
    for s in rows:
        flags = "" if s.enabled else "  (disabled)"
        extra = f" [{s.discovery}{'/' + s.cms if s.cms else ''}]" if s.discovery != "auto" or s.cms else ""
        click.echo(f"{s.id:<{width}}  {s.ki:<28} {s.url}{extra}{flags}")
    click.echo(f"{len(rows)} sources in {_registry(sources)}", err=True)


@sources.command("add")
@click.argument("url")
@click.option("--ki", required=True, help='The KI the site reports on ("Kreis Borken") or "NRW".')
@click.option("--id", "source_id", help="Slug (default: derived from the host).")
@click.option("--name", help="Display name (default: the id).")
@click.option("--discovery", type=click.Choice(["auto", "feed", "sitemap", "listing"]), default="auto",
              show_default=True)
@sources_option
def add_cmd(url: str, ki: str, source_id: str | None, name: str | None, discovery: str,
            sources: str | None) -> None:
    """Add a site by its press page (or home page) URL."""
    import tomlkit

    from scrapers.sources import SourceError, parse_registry

    path = _registry(sources)
    text = path.read_text("utf-8") if path.exists() else ""
    doc = tomlkit.parse(text)
    existing = doc.get("source", tomlkit.aot())
    taken = {str(t.get("id")) for t in existing}
    entry = tomlkit.table()
    entry["id"] = source_id or slug_for(url, taken)
    if name:
        entry["name"] = name
    entry["ki"] = ki
    entry["url"] = url
    if discovery != "auto":
        entry["discovery"] = discovery
    if "source" not in doc:
        doc["source"] = tomlkit.aot()
    doc["source"].append(entry)
    new_text = tomlkit.dumps(doc)
    try:
        parse_registry(new_text, str(path))  # validate before writing anything
    except SourceError as exc:
        raise Failure(str(exc)) from exc
    path.write_text(new_text, "utf-8")
    click.echo(f"added {entry['id']} ({ki}) → {url} to {path}")


@sources.command("check")
@click.argument("ids", nargs=-1)
@click.option("--max-pages", type=int, default=2, show_default=True, help="Listing pages per source.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting for the crawl.")
@sources_option
def check_cmd(ids: tuple[str, ...], max_pages: int, as_json: bool, settings: tuple[str, ...],
              sources: str | None) -> None:
    """Fetch each source (live) and report what discovery finds: mode, releases, newest date."""
    from scrapers.sources import load_sources

    known = {s.id for s in load_sources(sources)}
    if unknown := [i for i in ids if i not in known]:
        raise Failure(f"unknown source id(s): {', '.join(unknown)} (see `ki-monitor sources list`)")
    with tempfile.TemporaryDirectory(prefix="ki-monitor-check-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "scrapers.crawl", "--db", str(Path(tmp) / "check.db"),
               "--sources", str(_registry(sources)), "--discover-only", "--report", str(report),
               "--max-pages", str(max_pages), "--log-file", str(Path(tmp) / "crawl.log"), *ids]
        for setting in settings:
            cmd += ["--set", setting]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not report.exists():
            tail = (proc.stderr or (Path(tmp) / "crawl.log").read_text("utf-8", "replace"))[-1500:]
            raise Failure(f"the check crawl failed (exit {proc.returncode}):\n{tail}")
        results = json.loads(report.read_text("utf-8"))
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    width = max((len(r["id"]) for r in results), default=2)
    click.echo(f"{'source':<{width}}  {'found by':<8} {'releases':>8}  {'newest':<10}  problem")
    for r in sorted(results, key=lambda r: r["id"]):
        problem = r["error"] or "; ".join(r["errors"][:2]) or ("" if r["candidates"] else "nothing found")
        click.echo(f"{r['id']:<{width}}  {r['discovery'] or '-':<8} {r['candidates']:>8}  "
                   f"{r['newest'] or '-':<10}  {problem}")
    bad = [r["id"] for r in results if not r["candidates"]]
    if bad:
        click.echo(f"\n{len(bad)} source(s) need a better URL or hints: {', '.join(bad)}", err=True)
