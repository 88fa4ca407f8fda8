"""The ``ki-monitor`` command line."""

from __future__ import annotations

import errno
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
        from sqlalchemy.exc import SQLAlchemyError

        from monitor.config import ConfigError
        from scrapers.sources import SourceError
        from storage.db import StorageError, describe_error

        try:
            return super().invoke(ctx)
        except (SourceError, StorageError, ConfigError) as exc:
            raise Failure(one_line(str(exc))) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("KI_MONITOR_DEBUG"):
                raise
            if disk_full(exc):
                raise Failure(f"the disk is full ({one_line(describe_error(exc))}); free some space and run "
                              "again: what was stored is kept and the next run completes the work") from exc
            if isinstance(exc, SQLAlchemyError):
                what = f"database error: {describe_error(exc)}"
            elif isinstance(exc, OSError) and exc.strerror:
                what = f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
            else:
                what = f"{type(exc).__name__}: {exc}"
            raise Failure(f"{one_line(what)} (set KI_MONITOR_DEBUG=1 for the traceback)") from exc


def disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL or an ENOSPC from a file write, however deeply wrapped."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if "database or disk is full" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def one_line(text: str) -> str:
    """Errors a user meets are one line: later lines are joined onto the first."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


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
