"""``corrections``: reviewers' labels — set one, list them, export them as labelled data."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.commands.common import Failure, db_option
from monitor.corrections import LABELS, CorrectionError, correct, corrected_releases, export
from storage.db import open_db, transaction
from storage.models import Release


@click.group()
def corrections() -> None:
    """Label corrections that win over the analysis, exportable as labelled corpus data."""


@corrections.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export_cmd(out_dir: Path, db: str | None) -> None:
    """Write each corrected release as OUT_DIR/<id>_<host>.json (format of shared/corpus/labelled)."""
    with open_db(db)() as session:
        written = export(session, out_dir)
    click.echo(f"{len(written)} corrected release(s) written to {out_dir}")


@corrections.command("list")
@db_option
def list_cmd(db: str | None) -> None:
    """Corrected releases, oldest correction first."""
    with open_db(db)() as session:
        rows = corrected_releases(session)
        for release, c in rows:
            click.echo(f"{release.id}\t{release.label or '-'} -> {c.label}\t{release.title[:70]}")
        if not rows:
            click.echo("No corrections yet.")


@corrections.command("set")
@click.argument("release_id", type=int)
@click.argument("label", type=click.Choice(LABELS))
@click.option("--note", help="Why the label is right.")
@click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Rewrite the feeds here afterwards (default: beside the database).")
@db_option
def set_cmd(release_id: int, label: str, note: str | None, feeds_dir: Path | None, db: str | None) -> None:
    """Set the right LABEL of a release; events and feeds follow it."""
    from monitor.feeds import write_feeds
    from monitor.runner import feeds_dir_for

    with transaction(open_db(db)) as session:
        release = session.get(Release, release_id)
        if release is None:
            raise Failure(f"no release {release_id}; see `ki-monitor corrections list` or the review pages")
        try:
            correct(session, release, label, note)
        except CorrectionError as exc:
            raise Failure(str(exc)) from exc
        session.flush()
        write_feeds(session, feeds_dir or feeds_dir_for(db))
    click.echo(f"release {release_id}: {release.label or '-'} -> {label}")
