"""How fast the review pages render with 10 000 stored releases (run by hand, never in CI).

    .venv/bin/python -m bench.review_pages [--releases 10000] [--runs 365] [--repeat 5]

Fills a temporary SQLite database through the models (releases with versions and two
snapshots each, events of one to three sources, a year of daily runs over 54 sources), then
times every page through Flask's test client and prints cold / median / max milliseconds, and
over all pages the median and the slowest. The pictures (map, timelines, small multiples,
KI pages, tours) are timed with the rest.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from monitor.web.app import WebConfig, create_app
from monitor.web.happenings import happenings
from monitor.web.tours import find_tours
from scrapers.kis import load_kis
from storage.db import open_db
from storage.models import Body, Event, Fetch, Release, ReleaseVersion, Run, RunSource, Source
from storage.snapshots import body_hash

WORDS = ["Integration", "Kommunales", "Integrationszentrum", "Staatssekretärin", "besucht", "Förderung", "Landesmittel", "KOMM-AN", "Bildung", "Teilhabe", "Sprachmittler", "Ehrenamt", "Netzwerk", "Stadt", "Kreis", "Projekt", "Beratung", "Zuwanderung", "Schule", "Kita", "Familien", "Jugend", "Arbeit", "Gesellschaft", "Vielfalt"]
LABELS = ["visit"] * 2 + ["funding"] * 2 + ["other"] * 3 + ["irrelevant"] * 3
VISITORS = ["Serap Güler (Staatssekretärin)", "Josefine Paul (Ministerin)", "Lorenz Bahr (Staatssekretär)",
            "Hendrik Wüst (Ministerpräsident)", "Ina Scharrenbach (Ministerin)", "Nathanael Liminski (Minister)"]


def text(rng: random.Random, sentences: int) -> str:
    return "\n".join(" ".join(rng.choices(WORDS, k=rng.randint(8, 25))) + "." for _ in range(sentences))


def html_page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{line}</p>" for line in body.splitlines())
    nav = "".join(f'<li><a href="/n{i}">Navigation {i}</a></li>' for i in range(40))
    return (f"<!DOCTYPE html><html><head><title>{title}</title><script>track()</script></head><body>"
            f"<nav><ul>{nav}</ul></nav><main><h1>{title}</h1>{paras}</main>"
            f"<footer>Impressum Datenschutz</footer></body></html>").encode()


def fill(db: str, n_releases: int, n_runs: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    kis = [k.name for k in load_kis()]
    t0 = datetime(2025, 1, 1, 6, tzinfo=UTC)
    factory = open_db(db)
    with factory() as s, s.begin():
        s.execute(insert(Source), [dict(id=f"src-{i}", name=f"Quelle {i}", ki=kis[i % len(kis)],
                                         url=f"https://example{i}.invalid/presse/", discovery="auto", enabled=True,
                                         config={}, created_at=t0) for i in range(54)])
        s.execute(insert(Run), [dict(id=r + 1, started_at=t0 + timedelta(days=r), finished_at=t0 + timedelta(days=r, minutes=9),
                                     status="ok", trigger="schedule") for r in range(n_runs)])
        s.execute(insert(RunSource), [dict(
            run_id=r + 1, source_id=f"src-{i}", status="failed" if i == 3 and r > n_runs - 5 else "ok",
            discovery="listing", requests=rng.randint(5, 60), responses={"200": 3, "304": 20}, bytes=100_000,
            candidates=0 if i == 3 and r > n_runs - 5 else rng.randint(5, 40), complete=True,
            new=rng.randint(0, 3), updated=0, removed=0, errors=0,
            error_text="HTTP 503" if i == 3 and r > n_runs - 5 else None) for r in range(n_runs) for i in range(54)])
        releases, fetches, bodies, versions, events = [], [], {}, [], []
        fetch_id = 0
        event_of: dict[tuple[str, int], int] = {}
        for rid in range(1, n_releases + 1):
            src = rng.randrange(54)
            title = " ".join(rng.choices(WORDS, k=7))
            body_text = text(rng, rng.randint(6, 20))
            published = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
            label = rng.choice(LABELS)
            ki = rng.sample(kis, rng.choice((1, 1, 1, 2)))
            url = f"https://example{src}.invalid/presse/{rid}.html"
            last = None
            for k in range(2):  # two snapshots, the second edited for every tenth release
                fetch_id += 1
                changed = k == 1 and rid % 10 == 0
                page = html_page(title, body_text + ("\nNachtrag zur Meldung." if changed else ""))
                digest = body_hash(page)
                bodies[digest] = (len(page), zlib.compress(page, 6))
                fetches.append(dict(id=fetch_id, run_id=1 + (rid % n_runs), source_id=f"src-{src}", url=url,
                                    final_url=url, kind="release", status=200, not_modified=False,
                                    content_type="text/html; charset=utf-8", headers={},
                                    fetched_at=t0 + timedelta(days=rid % n_runs, minutes=k), body_sha256=digest,
                                    title=title, text=body_text, published=published, diffed=True))
                if k == 0 or changed:
                    versions.append(dict(release_id=rid, fetch_id=fetch_id, title=title, text=body_text,
                                         text_hash=digest, created_at=t0 + timedelta(days=rid % n_runs)))
                last = fetch_id
            event_id = None
            if label in ("visit", "funding"):
                key = (label, published.toordinal() // 3, ki[0])  # ~one in four joins an existing event
                event_id = event_of.get(key)
                if event_id is None:
                    event_id = event_of[key] = len(events) + 1
                    events.append(dict(id=event_id, guid=f"urn:uuid:bench-{event_id}", key=str(key), label=label,
                                       title=title, published=published, created_at=t0))
            releases.append(dict(
                id=rid, source_id=f"src-{src}", url=url, title=title, published=published, text=body_text,
                text_hash=str(rid), first_seen_at=t0, last_seen_at=t0, last_fetch_id=last, label=label, ki=ki,
                visitors=[rng.choice(VISITORS)] if label == "visit" else [],
                amounts_eur=[rng.randint(1, 500) * 10_000] if label == "funding" else [],
                evidence=[f"KI term 'Kommunales Integrationszentrum' in: {body_text.splitlines()[0]}",
                          f"KI named with its place: {ki[0]}"],
                analysis_version="bench", event_id=event_id))
        s.execute(insert(Body), [dict(sha256=d, size=n, data=z) for d, (n, z) in bodies.items()])
        s.execute(insert(Event), events)
        s.execute(insert(Fetch), fetches)
        s.execute(insert(Release), releases)
        s.execute(insert(ReleaseVersion), versions)
    return {"releases": n_releases, "events": len(events), "fetches": len(fetches), "bodies": len(bodies),
            "runs": n_runs, "run_sources": n_runs * 54}


def timed(client, method: str, path: str, repeat: int, **kw) -> tuple[int, list[float]]:
    times, status = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        reply = client.open(path, method=method, **kw)
        times.append((time.perf_counter() - start) * 1000)
        status = reply.status_code
    return status, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=365)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        start = time.perf_counter()
        counts = fill(db, args.releases, args.runs)
        print(f"filled in {time.perf_counter() - start:.1f}s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        app = create_app(WebConfig(db=db, feeds_dir=Path(tmp) / "feeds", read_only=False))
        client = app.test_client()
        with open_db(db)() as s:
            multi = s.scalar(select(Release.event_id).where(Release.event_id.is_not(None))
                             .group_by(Release.event_id).order_by(Release.event_id).limit(1))
            rid = s.scalar(select(Release.id).where(Release.event_id == multi))
            edited = s.scalar(select(Release).where(Release.id % 10 == 0))
            a, b = s.scalars(select(Fetch.id).where(Fetch.url == edited.url).order_by(Fetch.id)).all()[:2]
            tours = find_tours(happenings(s))
        longest = max(tours, key=lambda t: len(t.stops))
        print(f"{len(tours)} tours found, the longest with {len(longest.stops)} stops")
        pages = [
            ("GET", "/"), ("GET", "/?type=visit"), ("GET", "/?ki=K%C3%B6ln"), ("GET", "/?rb=M%C3%BCnster"),
            ("GET", "/?from=2018-01-01&to=2018-12-31"), ("GET", "/?page=100"), ("GET", "/releases"),
            ("GET", "/releases?label=other&page=60"), ("GET", f"/release/{rid}"), ("GET", f"/snapshot/{a}"),
            ("GET", f"/snapshot/{a}/raw"), ("GET", f"/diff/{a}/{b}"), ("GET", f"/diff/{a}/{b}?of=raw&view=inline"),
            ("GET", "/runs"), ("GET", "/runs?page=15"), ("GET", "/sources"), ("GET", "/corrections"),
            ("GET", "/?type=funding&from=2020-01-01&to=2020-12-31"), ("GET", "/ki/koeln"),
            ("GET", "/ki/staedteregion-aachen"), ("GET", "/tours"), ("GET", f"/tour/{longest.slug}"),
        ]
        medians: list[tuple[float, str]] = []
        print(f"{'page':45} {'status':>6} {'cold ms':>8} {'median':>8} {'max':>8}")
        for method, path in pages:
            status, times = timed(client, method, path, args.repeat)
            median = statistics.median(times[1:] or times)
            medians.append((median, path))
            print(f"{path:45} {status:>6} {times[0]:>8.1f} {median:>8.1f} {max(times):>8.1f}")
        print(f"over {len(pages)} pages: median {statistics.median(m for m, _ in medians):.1f} ms, "
              f"slowest {max(medians)[1]} at {max(medians)[0]:.1f} ms")
        page = client.get(f"/release/{rid}").get_data(as_text=True)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
        status, times = timed(client, "POST", f"/release/{rid}/correct", 1,
                              data={"label": "other", "csrf": csrf, "note": "bench"})
        print(f"{'POST correction (feeds rewritten after)':45} {status:>6} {times[0]:>8.1f}")


if __name__ == "__main__":
    main()
