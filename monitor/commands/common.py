"""Options shared by commands, and the rule that errors are one clear line, never a traceback."""

from __future__ import annotations

import click

from storage.db import DB_ENV

db_option = click.option(
    "--db", envvar=DB_ENV, metavar="PATH|URL",
    help=f"SQLite file or SQLAlchemy URL (default: ${DB_ENV}, else ~/.local/share/ki-monitor/ki-monitor.db).",
)
sources_option = click.option(
    "--sources", "sources", envvar="KI_MONITOR_SOURCES", metavar="FILE",
    help="Source registry TOML (default: $KI_MONITOR_SOURCES, else the bundled registry).",
)


class Failure(click.ClickException):
    """A problem the user can fix; printed as one line, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"ki-monitor: error: {self.format_message()}", err=True, file=file)


CHANNEL_ORDER = ("feed", "sitemap", "listing", "archive", "hop", "tag", "related")


def describe_channels(channels: dict | None) -> str:
    """``backfill: feed 10 · sitemap 420 · listing 380 → 12 new, 408 known``: where a source's
    releases were found in one run (releases listed per channel; one release may be in several)."""
    if not channels:
        return "-"
    found = channels.get("found", {})
    parts = [f"{c} {found[c]}" for c in CHANNEL_ORDER if found.get(c)]
    text = f"{channels.get('mode', '?')}: " + (" · ".join(parts) or "nothing found")
    text += f" → {channels.get('new', 0)} new, {channels.get('known', 0)} known"
    if channels.get("budget_exhausted"):
        text += f" (page budget {channels.get('budget')} reached)"
    return text
