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

config_option = click.option("--config", "config_file", envvar="KI_MONITOR_CONFIG", metavar="FILE",
                             type=click.Path(dir_okay=False),
                             help="Configuration TOML (default: $KI_MONITOR_CONFIG, else <data dir>/ki-monitor.toml if present).")
base_url_option = click.option("--base-url", metavar="URL",
                               help="Public URL the feeds are served under, used in feed links "
                                    "(default: [run] base_url of the config file, else http://127.0.0.1:8470).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of a table.")

EX_FAILED = 1  # every source failed, or the run could not start
EX_PARTIAL = 3  # the run completed, but some sources failed
EXIT_BY_STATUS = {"ok": 0, "partial": EX_PARTIAL, "failed": EX_FAILED}


def exit_code_of(status: str) -> int:
    """The exit code of a finished run's status, as the README documents it."""
    return EXIT_BY_STATUS.get(status, EX_FAILED)


class Failure(click.ClickException):
    """A problem the user can fix; printed as one line, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"ki-monitor: error: {self.format_message()}", err=True, file=file)


CHANNEL_ORDER = ("feed", "sitemap", "listing", "archive", "hop", "tag", "related")


def describe_channels(channels: dict | None, short: bool = False) -> str:
    """``backfill: feed 10 · sitemap 420 · listing 380 → 12 new, 408 known``: where a source's
    releases were found in one run (releases listed per channel; one release may be in several)."""
    if not channels:
        return "-"
    found = channels.get("found", {})
    parts = [f"{c} {found[c]}" for c in CHANNEL_ORDER if found.get(c)]
    text = f"{channels.get('mode', '?')}: " + (" · ".join(parts) or "nothing found")
    if short:  # a table that has its own "new" column
        return text
    text += f" → {channels.get('new', 0)} new, {channels.get('known', 0)} known"
    if channels.get("budget_exhausted"):
        text += f" (page budget {channels.get('budget')} reached)"
    return text
