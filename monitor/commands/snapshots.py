"""``snapshots``: review what was fetched — every response is kept, one body per content."""

from __future__ import annotations

from datetime import date

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from monitor.commands.common import Failure, db_option
from storage.db import open_db
from storage.models import Fetch
from storage.snapshots import get_body

console = Console(highlight=False)


@click.group()
def snapshots() -> None:
    """List, show, diff and export stored snapshots."""


@snapshots.command("list")
@db_option
@click.option("--source", "source_id", help="Only this source id.")
@click.option("--url", help="Only this URL (its history).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Fetched on or after YYYY-MM-DD.")
@click.option("--kind", type=click.Choice(["release", "listing", "feed", "sitemap"]))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
def list_(db, source_id, url, since, kind, limit) -> None:
    """List stored snapshots, newest first."""
    query = select(Fetch).order_by(Fetch.id.desc()).limit(limit)
    if source_id:
        query = query.where(Fetch.source_id == source_id)
    if url:
        query = query.where((Fetch.url == url) | (Fetch.final_url == url))
    if since:
        query = query.where(Fetch.fetched_at >= since)
    if kind:
        query = query.where(Fetch.kind == kind)
    with open_db(db)() as session:
        rows = session.scalars(query).all()
        table = Table(box=None)
        for col in ("id", "fetched (UTC)", "source", "kind", "status", "published", "title / url"):
            table.add_column(col)
        for f in rows:
            table.add_row(str(f.id), f.fetched_at.strftime("%Y-%m-%d %H:%M"), f.source_id, f.kind,
                          f"{f.status}" + (" (unchanged)" if f.not_modified else ""),
                          f.published.isoformat() if isinstance(f.published, date) else "",
                          (f.title or f.final_url)[:70])
        console.print(table if rows else "No snapshots match.")


@snapshots.command("show")
@click.argument("snapshot_id", type=int)
@db_option
@click.option("--raw", "mode", flag_value="raw", help="The raw body as fetched.")
@click.option("--text", "mode", flag_value="text", help="Only the extracted text.")
def show(snapshot_id, db, mode) -> None:
    """Show one snapshot: metadata and extracted text (or the raw body)."""
    with open_db(db)() as session:
        fetch = session.get(Fetch, snapshot_id)
        if fetch is None:
            raise Failure(f"no snapshot {snapshot_id}; see `ki-monitor snapshots list`")
        if mode == "raw":
            body = get_body(session, fetch.body_sha256) or b""
            click.echo(body, nl=False)
            return
        if mode == "text":
            click.echo(fetch.text or "")
            return
        for label, value in (("URL", fetch.url), ("Final URL", fetch.final_url), ("Source", fetch.source_id),
                             ("Kind", fetch.kind), ("Status", fetch.status), ("Fetched", fetch.fetched_at),
                             ("Content-Type", fetch.content_type), ("ETag", fetch.etag),
                             ("Last-Modified", fetch.last_modified), ("Body", fetch.body_sha256),
                             ("Title", fetch.title), ("Published", fetch.published), ("Error", fetch.error)):
            if value is not None:
                click.echo(f"{label + ':':15}{value}")
        if fetch.text:
            click.echo("\n" + fetch.text)
