"""``snapshots``: review what was fetched — every response is kept, one body per content."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from monitor.commands.common import Failure, db_option, json_option
from scrapers.encoding import decode_html
from storage.db import open_read_only
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
@json_option
def list_(db, source_id, url, since, kind, limit, as_json) -> None:
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
    with open_read_only(db)() as session:
        rows = session.scalars(query).all()
        if as_json:
            click.echo(json.dumps([snapshot_record(f) for f in rows], ensure_ascii=False, indent=1))
            return
        table = Table(box=None)
        for col in ("id", "fetched (UTC)", "source", "kind", "status", "published", "title / url"):
            table.add_column(col)
        for f in rows:
            table.add_row(str(f.id), f.fetched_at.strftime("%Y-%m-%d %H:%M"), f.source_id, f.kind,
                          f"{f.status}" + (" (unchanged)" if f.not_modified else ""),
                          f.published.isoformat() if isinstance(f.published, date) else "",
                          (f.title or f.final_url)[:70])
        # Piped output keeps one snapshot per line (grep, cut); a terminal gets its own width.
        out = console if console.is_terminal else Console(highlight=False, width=220)
        out.print(table if rows else "No snapshots match.")


def snapshot_record(f: Fetch) -> dict:
    return {"id": f.id, "fetched": f.fetched_at.isoformat(), "source": f.source_id, "kind": f.kind,
            "status": f.status, "not_modified": bool(f.not_modified), "url": f.url, "final_url": f.final_url,
            "title": f.title, "published": f.published.isoformat() if isinstance(f.published, date) else None}


@snapshots.command("show")
@click.argument("snapshot_id", type=int)
@db_option
@click.option("--raw", "mode", flag_value="raw", help="The raw body as fetched.")
@click.option("--text", "mode", flag_value="text", help="Only the extracted text.")
def show(snapshot_id, db, mode) -> None:
    """Show one snapshot: metadata and extracted text (or the raw body)."""
    with open_read_only(db)() as session:
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


def snapshot_text(session, fetch: Fetch) -> str:
    """The extracted text; for pages without one (listings, feeds) the decoded body."""
    if fetch.text:
        return fetch.text
    return decode_html(get_body(session, fetch.body_sha256) or b"", fetch.content_type)


def _label(fetch: Fetch) -> str:
    return f"#{fetch.id} {fetch.final_url or fetch.url} ({fetch.fetched_at:%Y-%m-%d %H:%M})"


def _last_two_versions(session, url: str) -> tuple[Fetch, Fetch]:
    """The newest snapshot of URL and the newest one before it with a different text."""
    rows = session.scalars(select(Fetch).where((Fetch.url == url) | (Fetch.final_url == url))
                           .where(Fetch.body_sha256.is_not(None)).order_by(Fetch.id.desc())).all()
    if not rows:
        raise Failure(f"no snapshot of {url}; see `ki-monitor snapshots list --url URL`")
    newest = rows[0]
    text = snapshot_text(session, newest)
    older = next((f for f in rows[1:] if snapshot_text(session, f) != text), None)
    if older is None:
        raise Failure(f"{url} has {len(rows)} snapshot(s), all with the same text: nothing to compare")
    return older, newest


@snapshots.command("diff")
@click.argument("ids", nargs=-1, type=int)
@click.option("--url", help="Compare the last two versions of this URL instead of two ids.")
@db_option
@click.option("--context", "-U", default=3, show_default=True, type=click.IntRange(0))
@click.option("--color/--no-color", default=None, help="Colour the diff (default: only on a terminal).")
def diff_(ids, url, db, context, color) -> None:
    """Unified diff of the extracted text of snapshots A and B (or of --url's last two versions)."""
    import difflib

    if bool(url) == bool(ids) or (ids and len(ids) != 2):
        raise click.UsageError("give two snapshot ids (A B) or --url URL")
    with open_read_only(db)() as session:
        if url:
            a, b = _last_two_versions(session, url)
        else:
            found = [session.get(Fetch, i) for i in ids]
            for i, f in zip(ids, found, strict=True):
                if f is None:
                    raise Failure(f"no snapshot {i}; see `ki-monitor snapshots list`")
            a, b = found
        lines = difflib.unified_diff(snapshot_text(session, a).splitlines(), snapshot_text(session, b).splitlines(),
                                     _label(a), _label(b), n=context, lineterm="")
    styles = {"+": "green", "-": "red", "@": "cyan"}
    any_line = False
    try:
        for line in lines:
            any_line = True
            if line.startswith(("+++", "---")):
                line = click.style(line, bold=True)
            elif style := styles.get(line[:1]):
                line = click.style(line, fg=style)
            click.echo(line, color=color)  # None: ANSI codes are stripped unless stdout is a terminal
    except BrokenPipeError:  # `| head` has seen enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return
    if not any_line:
        click.echo("The extracted texts are identical.")


@snapshots.command("export")
@click.option("--warc", "warc_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="WARC file to write (gzip-compressed per record when it ends in .gz).")
@db_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only snapshots fetched on or after YYYY-MM-DD.")
@click.option("--source", "source_id", help="Only this source id.")
def export(warc_path: Path, db, since, source_id) -> None:
    """Write stored snapshots as a standard WARC file (request/response records)."""
    from storage.warc import export_warc

    tmp = warc_path.with_name(f".{warc_path.name}.part")
    with open_read_only(db)() as session, tmp.open("wb") as out:
        stats = export_warc(session, out, since, source_id, compress=warc_path.suffix == ".gz",
                            filename=warc_path.name)
    tmp.replace(warc_path)  # a half-written WARC never carries the final name
    click.echo(f"{stats.responses} responses, {stats.revisits} revisits written to {warc_path}"
               + (f" ({stats.skipped} fetches without an HTTP answer skipped)" if stats.skipped else ""))
