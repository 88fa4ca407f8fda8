"""Review pages: overview of events, releases with evidence, snapshots, diffs, runs, sources,
and the correction path. Server-rendered, no JavaScript, read-only unless corrections are on.

Ids in URLs are integers looked up in the database; nothing from a URL reaches the file system.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import BERLIN, aware
from monitor.corrections import LABELS, CorrectionError, correct, corrected_releases, export_zip
from monitor.feeds import feed_specs
from monitor.web import queries, safety
from monitor.web.atlas import overview_pictures
from monitor.web.refresh import FeedRefresher
from monitor.web.textview import diff_rows, highlight, visible_text
from scrapers.encoding import decode_html
from scrapers.kis import load_kis, regierungsbezirke
from scrapers.sources import slugify
from storage.db import open_db, open_read_only
from storage.models import Fetch, Release
from storage.snapshots import get_body

review_bp = Blueprint("review", __name__)

LABEL_NAMES = {"visit": "Besuch", "funding": "Förderung", "other": "Sonstiges", "irrelevant": "Irrelevant"}
MAIN_FEEDS = (("ki-news", "Alle Meldungen"), ("besuche", "Besuche"), ("foerderung", "Förderung"),
              ("status", "Quellen-Status"))
RAW_RENDER_LIMIT = 2_000_000  # bytes of a raw page rendered inline; the download has it all
HTML_TYPES = ("text/html", "application/xhtml+xml")
EXTENSIONS = {"text/html": "html", "application/pdf": "pdf", "application/rss+xml": "xml",
              "application/atom+xml": "xml", "application/xml": "xml", "text/xml": "xml", "text/plain": "txt"}


# -- plumbing ------------------------------------------------------------------------------

def config():
    return current_app.config["KI"]


def factory() -> sessionmaker[Session]:
    found: sessionmaker[Session] | None = current_app.extensions.get("review_db")
    if found is None:
        found = current_app.extensions["review_db"] = \
            open_read_only(config().db) if config().read_only else open_db(config().db)
    return found


def db() -> Session:
    if "review_db" not in g:
        g.review_db = factory()()
    return g.review_db


def refresher() -> FeedRefresher:
    found: FeedRefresher | None = current_app.extensions.get("review_feeds")
    if found is None:
        found = current_app.extensions["review_feeds"] = FeedRefresher(factory(), config().feed_target)
    return found


@review_bp.teardown_app_request
def _close_db(_exc: BaseException | None) -> None:
    session = g.pop("review_db", None)
    if session is not None:
        session.close()


@review_bp.after_app_request
def _headers(response: Response) -> Response:
    return safety.add_security_headers(response)


@review_bp.record_once
def _setup(state) -> None:
    app: Flask = state.app
    app.jinja_env.filters.update(rv_date=_de_date, rv_euro=_euro, rv_href=_web_href,
                                 rv_label=lambda v: LABEL_NAMES.get(v, v or "–"), rv_slug=slugify)
    app.jinja_env.globals.update(rv_labels=LABEL_NAMES, rv_main_feeds=MAIN_FEEDS)


def _de_date(value: date | datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):  # stored in UTC; readers think in Berlin time
        value = aware(value).astimezone(BERLIN)
        return value.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")
    return value.strftime("%d.%m.%Y")


def _web_href(url: str | None) -> str:
    """Only http(s) links to the original pages; anything else (javascript:, data:) goes nowhere."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


def _euro(value: float) -> str:
    return f"{value:,.0f} €".replace(",", ".")


def writes() -> dict:
    """Whether this request may change data, and what it takes: read-only, token, loopback."""
    cfg = config()
    token_needed = bool(cfg.token) or safety.needs_token(request, cfg.base_url)
    enabled = not cfg.read_only and (bool(cfg.token) or not token_needed)
    return {"enabled": enabled, "token_needed": token_needed, "read_only": cfg.read_only}


# -- pages ---------------------------------------------------------------------------------

@review_bp.get("/")
def overview():
    filters = queries.Filters.parse(request.args)
    page = queries.overview(db(), filters)
    feeds = list(MAIN_FEEDS)
    if filters.ki:
        feeds.append((f"ki-{slugify(filters.ki)}", f"KI {filters.ki}"))
    if filters.rb:
        feeds.append((f"rb-{slugify(filters.rb)}", f"Regierungsbezirk {filters.rb}"))
    known = {s.slug for s in feed_specs()}
    return render_template("review/overview.html", page=page, filters=filters, pics=overview_pictures(filters),
                           facts={e.id: queries.event_facts(e) for e in page.items},
                           kis=sorted(k.name for k in load_kis()), rbs=regierungsbezirke(),
                           feeds=[f for f in feeds if f[0] in known])


@review_bp.get("/releases")
def releases():
    label = request.args.get("label") if request.args.get("label") in LABELS else None
    page = queries.releases_page(db(), queries.page_number(request.args.get("page")), label)
    return render_template("review/releases.html", page=page, label=label)


@review_bp.get("/release/<int:release_id>")
def release(release_id: int):
    session = db()
    rel = queries.release_with_event(session, release_id) or abort(404)
    siblings = [r for r in (rel.event.releases if rel.event else []) if r.id != rel.id]
    histories = [queries.snapshot_history(session, r) for r in [rel, *siblings]]
    access = writes()
    html = render_template(
        "review/release.html", release=rel, siblings=siblings, histories=histories,
        segments=highlight(rel.text, rel.evidence or []), facts=queries.event_facts(rel.event) if rel.event else None,
        versions=queries.version_fetch_pairs(rel), corrections=queries.corrections_of(session, rel.id),
        access=access, labels=LABELS, csrf=_csrf_token() if access["enabled"] else None,
        message="Korrektur gespeichert; die Feeds werden neu geschrieben." if request.args.get("done") == "1" else None)
    response = Response(html)
    if access["enabled"]:
        response.set_cookie(safety.CSRF_COOKIE, g.csrf, httponly=True, samesite="Strict", path="/")
    return response


def _csrf_token() -> str:
    g.csrf = request.cookies.get(safety.CSRF_COOKIE) or safety.new_csrf_token()
    return g.csrf


@review_bp.post("/release/<int:release_id>/correct")
def correct_release(release_id: int):
    access, cfg = writes(), config()
    if not access["enabled"]:
        abort(403, "Korrekturen sind abgeschaltet (read-only)" if cfg.read_only
              else "Korrekturen brauchen ein Token, wenn der Server nicht nur auf 127.0.0.1 hört")
    if not safety.csrf_ok(request):
        abort(403, "ungültiges Formular (CSRF); bitte die Seite neu laden")
    if access["token_needed"] and not safety.token_ok(request.form.get("token"), cfg.token):
        abort(403, "falsches oder fehlendes Token")
    session = db()
    rel = session.get(Release, release_id) or abort(404)
    try:
        correct(session, rel, request.form.get("label", ""), request.form.get("note"))
    except CorrectionError as exc:
        session.rollback()
        abort(400, str(exc))
    session.commit()
    # Feeds are files rebuilt after each run; rebuild now so readers see the correction soon.
    refresher().request()
    return redirect(url_for("review.release", release_id=release_id, done=1), code=303)


@review_bp.get("/snapshot/<int:fetch_id>")
def snapshot(fetch_id: int):
    session = db()
    fetch = session.get(Fetch, fetch_id) or abort(404)
    body = get_body(session, fetch.body_sha256)
    kind = _media_type(fetch.content_type)
    raw_html = source = None
    if body is not None and kind != "application/pdf":
        decoded = decode_html(body[:RAW_RENDER_LIMIT], fetch.content_type)
        if request.args.get("view") == "source" or kind not in HTML_TYPES:
            source = decoded
        else:
            raw_html = safety.sanitize_html(decoded)
    history = queries.url_history(session, fetch.url)
    # The newest earlier snapshot with other content: what a diff link should compare with.
    older = next((f for f in history if f.id < fetch.id and f.body_sha256 and f.body_sha256 != fetch.body_sha256),
                 None)
    return render_template("review/snapshot.html", fetch=fetch, body_size=len(body) if body else 0,
                           raw_html=raw_html, source=source, kind=kind, history=history, older=older,
                           release=queries.release_for_url(session, fetch.final_url)
                           or queries.release_for_url(session, fetch.url))


@review_bp.get("/snapshot/<int:fetch_id>/raw")
def snapshot_raw(fetch_id: int):
    session = db()
    fetch = session.get(Fetch, fetch_id) or abort(404)
    body = get_body(session, fetch.body_sha256)
    if body is None:
        abort(404, "dieser Snapshot hat keinen gespeicherten Inhalt")
    ext = EXTENSIONS.get(_media_type(fetch.content_type), "bin")
    return Response(body, headers={
        "Content-Type": "application/octet-stream",
        "Content-Disposition": f'attachment; filename="snapshot-{fetch.id}.{ext}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


@review_bp.get("/diff/<int:a>/<int:b>")
def diff(a: int, b: int):
    session = db()
    old, new = session.get(Fetch, a) or abort(404), session.get(Fetch, b) or abort(404)
    of = "raw" if request.args.get("of") == "raw" else "text"
    view = "inline" if request.args.get("view") == "inline" else "side"
    if of == "raw":
        left = decode_html(get_body(session, old.body_sha256) or b"", old.content_type)
        right = decode_html(get_body(session, new.body_sha256) or b"", new.content_type)
    else:
        left, right = _as_text(session, old), _as_text(session, new)
    rows = diff_rows(left, right) if left != right else []
    return render_template("review/diff.html", old=old, new=new, rows=rows, of=of, view=view,
                           same=left == right, release=queries.release_for_url(session, new.final_url)
                           or queries.release_for_url(session, new.url))


@review_bp.get("/runs")
def runs():
    page = queries.runs_page(db(), queries.page_number(request.args.get("page")))
    return render_template("review/runs.html", page=page)


@review_bp.get("/sources")
def sources():
    return render_template("review/sources.html", rows=queries.sources_overview(db()))


@review_bp.get("/corrections")
def corrections():
    return render_template("review/corrections.html", rows=corrected_releases(db()))


@review_bp.get("/corrections/export.zip")
def corrections_zip():
    return Response(export_zip(db()), headers={
        "Content-Type": "application/zip",
        "Content-Disposition": 'attachment; filename="ki-monitor-corrections.zip"',
    })


@review_bp.app_errorhandler(400)
@review_bp.app_errorhandler(403)
@review_bp.app_errorhandler(404)
def error(exc):
    if request.path.startswith("/feeds/"):
        return exc  # the feed server answers for its own paths
    return render_template("review/error.html", error=exc), exc.code


# -- helpers -------------------------------------------------------------------------------

def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _as_text(session: Session, fetch: Fetch) -> str:
    """What a reader sees of a snapshot: the extracted text of a release page; for pages without
    one (listings, overview pages) the visible text of the stored HTML."""
    if fetch.text:
        return "\n".join(p for p in [fetch.title or "", fetch.text] if p)
    body = get_body(session, fetch.body_sha256)
    if body is None:
        return fetch.title or ""
    decoded = decode_html(body, fetch.content_type)
    return visible_text(decoded) if _media_type(fetch.content_type) in HTML_TYPES else decoded
