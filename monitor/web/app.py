"""The WSGI application served by ``ki-monitor serve`` (waitress), built from blueprints:
``feeds`` (feed files, index with feed discovery), ``review`` (browser review pages) and
``atlas`` (KI pages, tours: the pages with pictures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from monitor.feeds import DEFAULT_BASE_URL, FeedConfig, FeedTarget


@dataclass(frozen=True)
class WebConfig:
    db: str | None
    feeds_dir: Path
    base_url: str = DEFAULT_BASE_URL
    token: str | None = None  # required for changes when listening beyond 127.0.0.1
    read_only: bool = True
    feeds: FeedConfig = field(default_factory=FeedConfig)  # `serve` passes the config file's

    @property
    def feed_target(self) -> FeedTarget:
        """How the feeds are rewritten after a correction: same folder, URL and settings as
        ``serve`` was started with."""
        return FeedTarget(self.feeds_dir, self.base_url, self.feeds)


def create_app(config: WebConfig) -> Flask:
    app = Flask(__name__)
    app.config["KI"] = config
    from monitor.web.feeds import feeds_bp

    app.register_blueprint(feeds_bp)
    from monitor.web.review import review_bp

    app.register_blueprint(review_bp)
    from monitor.web.atlas import atlas_bp

    app.register_blueprint(atlas_bp)

    from monitor.web.ops import ops_bp

    app.register_blueprint(ops_bp)
    return app
