"""Routes for operators and feed readers beside the feeds: ``/healthz`` (JSON, 503 when the
database cannot be read), ``/metrics`` (Prometheus text format) and ``/feeds.opml`` (every
feed in one subscription list)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app
from sqlalchemy.exc import SQLAlchemyError

from monitor.feed_opml import opml
from monitor.status_report import Report, prometheus_text, read_report
from storage.db import StorageError, open_read_only

ops_bp = Blueprint("ops", __name__)
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"


def _report() -> Report:
    cfg = current_app.config["KI"]
    factory = current_app.extensions.get("ops_db")
    if factory is None:
        factory = current_app.extensions["ops_db"] = open_read_only(cfg.db)
    with factory() as session:
        return read_report(session, cfg.feeds.health_threshold)


@ops_bp.get("/healthz")
def healthz() -> Response:
    try:
        body, code = _report().health(), 200
    except (SQLAlchemyError, StorageError) as exc:
        body, code = {"status": "down", "database": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}, 503
    return Response(json.dumps(body, ensure_ascii=False), code, content_type="application/json",
                    headers={"Cache-Control": "no-store"})


@ops_bp.get("/metrics")
def metrics() -> Response:
    return Response(prometheus_text(_report()), content_type=PROMETHEUS, headers={"Cache-Control": "no-store"})


@ops_bp.get("/feeds.opml")
def feeds_opml() -> Response:
    cfg = current_app.config["KI"]
    return Response(opml(cfg.base_url, cfg.feeds), content_type="text/x-opml; charset=utf-8")
