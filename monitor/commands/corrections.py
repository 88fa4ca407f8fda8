"""``corrections``: reviewers' labels — set one, list them, export them as labelled data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from monitor.commands.common import Failure, base_url_option, config_option, db_option, json_option
from monitor.config import load_config
from monitor.corrections import LABELS, CorrectionError, correct, corrected_releases, export
from storage.db import open_existing, open_read_only, transaction
from storage.models import Release


@click.group()
def corrections() -> None:
    """Label corrections that win over the analysis, exportable as labelled corpus data."""


@corrections.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export_cmd(out_dir: Path, db: str | None) -> None:
    """Write each corrected release as OUT_DIR/<id>_<host>.json (format of shared/corpus/labelled)."""
    with open_read_only(db)() as session:
        written = export(session, out_dir)
    click.echo(f"{len(written)} corrected release(s) written to {out_dir}")


@corrections.command("list")
@db_option
@json_option
def list_cmd(db: str | None, as_json: bool) -> None:
    """Corrected releases, oldest correction first."""
    with open_read_only(db)() as session:
        rows = corrected_releases(session)
        if as_json:
            click.echo(json.dumps([{"release": release.id, "analysis": release.label, "label": c.label,
                                    "note": c.note, "title": release.title, "url": release.url}
                                   for release, c in rows], ensure_ascii=False, indent=1))
            return
        for release, c in rows:
            click.echo(f"{release.id}\t{release.label or '-'} -> {c.label}\t{release.title[:70]}")
        if not rows:
            click.echo("No corrections yet.")


@corrections.command("set")
@click.argument("release_id", type=int)
@click.argument("label", type=click.Choice(LABELS))
@click.option("--note", help="Why the label is right.")
@click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Rewrite the feeds here afterwards (default: [run] feeds_dir, else beside the database).")
@base_url_option
@config_option
@db_option
def set_cmd(release_id: int, label: str, note: str | None, feeds_dir: Path | None, base_url: str | None,
            config_file: str | None, db: str | None) -> None:
    """Set the right LABEL of a release; events and feeds follow it."""
    cfg = load_config(config_file)
    db = db or cfg.db
    target = cfg.feed_target(db, feeds_dir, base_url)
    with transaction(open_existing(db)) as session:
        release = session.get(Release, release_id)
        if release is None:
            raise Failure(f"no release {release_id}; see `ki-monitor corrections list` or the review pages")
        try:
            correct(session, release, label, note)
        except CorrectionError as exc:
            raise Failure(str(exc)) from exc
        session.flush()
        target.write(session)
    click.echo(f"release {release_id}: {release.label or '-'} -> {label}")
