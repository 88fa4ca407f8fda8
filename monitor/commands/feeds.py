"""``feeds``: what feeds there are, as a list or as one OPML file for a reader to import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from monitor.commands.common import base_url_option, config_option, json_option
from monitor.config import load_config
from monitor.feed_opml import opml
from monitor.feeds import feed_specs


@click.group()
def feeds() -> None:
    """List the feeds, or export them all as OPML."""


@feeds.command("list")
@base_url_option
@config_option
@json_option
def list_cmd(base_url: str | None, config_file: str | None, as_json: bool) -> None:
    """Every feed with its RSS, Atom and JSON Feed URLs."""
    cfg = load_config(config_file)
    base = (base_url or cfg.public_url).rstrip("/")
    rows = [{"slug": s.slug, "title": s.title, "description": s.description,
             **{kind: f"{base}/feeds/{s.slug}.{ext}" for kind, ext in (("rss", "xml"), ("atom", "atom"), ("json", "json"))}}
            for s in feed_specs(cfg.feed_config())]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        click.echo(f"{row['slug']}\t{row['rss']}\t{row['title']}")


@feeds.command("opml")
@base_url_option
@config_option
@click.option("--atom", is_flag=True, help="List the Atom feeds instead of RSS.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def opml_cmd(base_url: str | None, config_file: str | None, atom: bool, output: Path | None) -> None:
    """All feeds as OPML 2.0: import it into a feed reader to subscribe to every feed at once."""
    cfg = load_config(config_file)
    data = opml(base_url or cfg.public_url, cfg.feed_config(), "atom" if atom else "xml")
    if output:
        output.write_bytes(data)
        click.echo(f"{output}: OPML of {data.count(b'xmlUrl=')} feeds", err=True)
    else:
        sys.stdout.buffer.write(data)
