"""The ``ki-monitor`` command line."""

from __future__ import annotations

import os
import sys

import click

from monitor.commands.analysis import analyze_cmd, eval_cmd, reanalyze_cmd
from monitor.commands.common import Failure
from monitor.commands.corrections import corrections
from monitor.commands.feeds import feeds
from monitor.commands.history import runs, status
from monitor.commands.run import demo, feed, run
from monitor.commands.schedule import schedule
from monitor.commands.serve import serve
from monitor.commands.snapshots import snapshots
from monitor.commands.sources import sources


class Main(click.Group):
    """Turns every known failure into one line with what to do; tracebacks only on request."""

    def invoke(self, ctx: click.Context):
        from monitor.config import ConfigError
        from scrapers.sources import SourceError
        from storage.db import StorageError

        try:
            return super().invoke(ctx)
        except (SourceError, StorageError, ConfigError) as exc:
            raise Failure(str(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("KI_MONITOR_DEBUG"):
                raise
            raise Failure(f"{type(exc).__name__}: {exc} (set KI_MONITOR_DEBUG=1 for the traceback)") from exc


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ki-monitor")
def main() -> None:
    """ki-monitor: press releases about NRW's Kommunale Integrationszentren, as feeds.

    Crawls the KI and state press pages, keeps every snapshot, finds new visits and
    funding announcements and writes RSS/Atom feeds.
    """


main.add_command(run)
main.add_command(demo)
main.add_command(feed)
main.add_command(feeds)
main.add_command(snapshots)
main.add_command(serve)
main.add_command(sources)
main.add_command(analyze_cmd)
main.add_command(eval_cmd)
main.add_command(reanalyze_cmd)
main.add_command(corrections)
main.add_command(schedule)
main.add_command(runs)
main.add_command(status)


if __name__ == "__main__":
    sys.exit(main())
