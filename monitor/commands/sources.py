"""``ki-monitor sources``: list, add and check the sites in the source registry.

``add`` edits the TOML with tomlkit so comments and layout survive; the result is validated
before it is written. ``check`` fetches every start URL and runs a real discovery crawl in a
subprocess against a throwaway database (see ``source_check``); ``check --write`` records
what it verified.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import click

from monitor.commands.common import Failure, describe_channels, sources_option


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
@click.option("--max-pages", type=int, default=50, show_default=True,
              help="Page budget of each start URL's discovery (every request counts).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--write", is_flag=True,
              help='Record what was verified in the registry (basis = "verified", permanent redirects).')
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting for the crawl.")
@sources_option
def check_cmd(ids: tuple[str, ...], max_pages: int, as_json: bool, write: bool, settings: tuple[str, ...],
              sources: str | None) -> None:
    """Fetch every start URL of each source (live): how it answers, what discovery finds there.

    Flags start URLs that answer 404, redirect off-site or yield no releases.
    """
    from monitor.commands.source_check import check_sources, write_verified
    from scrapers.sources import load_sources

    registry = load_sources(sources)
    known = {s.id for s in registry}
    if unknown := [i for i in ids if i not in known]:
        raise Failure(f"unknown source id(s): {', '.join(unknown)} (see `ki-monitor sources list`)")
    chosen = [s for s in registry if (s.id in ids if ids else s.enabled)]
    checks = check_sources(chosen, max_pages, settings)
    if as_json:
        click.echo(json.dumps([c.to_json() for c in checks], ensure_ascii=False, indent=1))
    else:
        _print_checks(checks)
    flagged = [f"{c.source.id} {u.url}" for c in checks for u in c.urls if u.problem]
    if flagged:
        click.echo(f"\n{len(flagged)} start URL(s) need a better address or hints:", err=True)
        for line in flagged:
            click.echo(f"  {line}", err=True)
    if write:
        path = _registry(sources)
        changes = write_verified(path, checks)
        for line in changes:
            click.echo(f"  {line}", err=True)
        click.echo(f"{len(changes)} change(s) written to {path}", err=True)


def _print_checks(checks) -> None:
    """Per source a line, then per start URL: answer, discovery, releases, newest, problem."""
    click.echo("per start URL: HTTP status, found by, releases, newest release, URL (→ where it redirects)")
    for check in checks:
        s = check.source
        ok = sum(1 for u in check.urls if u.problem is None)
        click.echo(f"{s.id}  ({s.ki}; basis {s.basis or '-'}): {ok} of {len(check.urls)} start URL(s) yield releases")
        for u in check.urls:
            answer = "-" if u.status is None else str(u.status)
            moved = f" → {u.final_url}" if u.redirected else ""
            found = f"{u.discovery or '-':<8} {u.releases:>5}  {u.newest or '-':<10}"
            click.echo(f"  {answer:>3}  {found}  {u.url}{moved}" + (f"  !! {u.problem}" if u.problem else ""))
            if u.channels:
                click.echo(f"       {describe_channels(u.channels)}")
