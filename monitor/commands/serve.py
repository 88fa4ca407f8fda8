"""``serve``: the feeds (and the review pages) over HTTP with waitress, on 127.0.0.1 by default."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from monitor.commands.common import Failure, base_url_option, config_option, db_option


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is printed: a busy port is one error line,
    not a banner followed by a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise Failure(f"cannot listen on {host}:{port}: {exc.strerror}; pass another --host") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        why = "the port is in use (another `ki-monitor serve`?)" if exc.errno == 98 else exc.strerror
        raise Failure(f"cannot listen on {host}:{port}: {why}; pass another --port") from None
    return sock  # waitress listens on it once the app is ready (clients wait for the first build)

CONNECTIONS = 1000  # open connections at most (each idle one costs a file descriptor, no thread)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the server to the network.")
@click.option("--port", default=8470, show_default=True, type=click.IntRange(1, 65535))
@click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Feeds written by `ki-monitor run` (default: [run] feeds_dir, else beside the database).")
@base_url_option
@config_option
@click.option("--token", envvar="KI_MONITOR_TOKEN", help="Token the review pages require for changes.")
@click.option("--allow-corrections", is_flag=True,
              help="Let reviewers correct labels in the browser (read-only otherwise; beyond 127.0.0.1 "
                   "changes also need --token).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(db, host, port, feeds_dir, base_url, config_file, token, allow_corrections, threads) -> None:
    """Serve the feeds (ETag, Last-Modified, 304, gzip; index at /feeds/), /healthz, /metrics,
    /feeds.opml and the review pages (/).

    Feed links carry the URL this server is reached at (http://HOST:PORT) unless --base-url or
    the config file's [run] base_url says otherwise.
    """
    import waitress

    from monitor.config import load_config
    from monitor.web.app import WebConfig, create_app
    from storage.db import open_existing, open_read_only

    cfg = load_config(config_file)
    db = db or cfg.db
    factory = open_existing(db) if allow_corrections else open_read_only(db)
    target = cfg.feed_target(db, feeds_dir, base_url, served_at=f"http://{host}:{port}")
    sock = bind(host, port)
    if not _written_for(target.folder, target.base_url):
        # Nothing written yet, or written for another URL: build from the database.
        with factory() as session:
            target.write(session)
    app = create_app(WebConfig(db=db, feeds_dir=target.folder, base_url=target.base_url, token=token,
                               read_only=not allow_corrections, feeds=target.config))
    mode = "corrections allowed" if allow_corrections else "read-only"
    base = target.base_url
    where = f"listening on http://{host}:{port}" + ("" if base == f"http://{host}:{port}" else f", public URL {base}")
    click.echo(f"Review pages at {base}/ ({mode}); feeds from {target.folder} at {base}/feeds/; {where} "
               "(Ctrl-C stops)", err=True)
    # Waitress stops accepting at 100 open connections; feed readers keep theirs alive, so a
    # hundred subscribers would lock everyone else out (issue 12: 200 concurrent readers).
    waitress.serve(app, sockets=[sock], threads=threads, ident="ki-monitor", connection_limit=CONNECTIONS)


def _written_for(folder: Path, base_url: str) -> bool:
    """The main feed exists and links to this base URL."""
    main = folder / "ki-news.xml"
    try:
        return f"<link>{base_url}/feeds/</link>".encode() in main.read_bytes()
    except OSError:
        return False
