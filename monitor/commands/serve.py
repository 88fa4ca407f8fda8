"""``serve``: the feeds (and the review pages) over HTTP with waitress, on 127.0.0.1 by default."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.commands.common import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the server to the network.")
@click.option("--port", default=8470, show_default=True, type=click.IntRange(1, 65535))
@click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Feeds written by `ki-monitor run` (default: beside the database).")
@click.option("--base-url", help="Public URL of this server (default: http://HOST:PORT).")
@click.option("--token", envvar="KI_MONITOR_TOKEN", help="Token the review pages require for changes.")
@click.option("--allow-corrections", is_flag=True,
              help="Let reviewers correct labels in the browser (read-only otherwise; beyond 127.0.0.1 "
                   "changes also need --token).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(db, host, port, feeds_dir, base_url, token, allow_corrections, threads) -> None:
    """Serve the feeds (ETag, Last-Modified, 304, gzip; index at /feeds/) and the review pages (/)."""
    import waitress

    from monitor.feeds import write_feeds
    from monitor.runner import feeds_dir_for
    from monitor.web.app import WebConfig, create_app
    from storage.db import open_db

    feeds = feeds_dir or feeds_dir_for(db)
    base = (base_url or f"http://{host}:{port}").rstrip("/")
    if not (feeds / "ki-news.xml").exists():
        # Nothing written yet (no run so far, or a fresh --feeds-dir): build from the database.
        with open_db(db)() as session:
            write_feeds(session, feeds, base)
    app = create_app(WebConfig(db=db, feeds_dir=feeds, base_url=base, token=token,
                               read_only=not allow_corrections))
    mode = "corrections allowed" if allow_corrections else "read-only"
    click.echo(f"Review pages at {base}/ ({mode}); feeds from {feeds} at {base}/feeds/ (Ctrl-C stops)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="ki-monitor")
