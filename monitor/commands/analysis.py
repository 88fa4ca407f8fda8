"""``ki-monitor analyze`` and ``ki-monitor eval``: the release analysis from the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from monitor.analysis import Document, analyze
from monitor.commands.common import Failure, base_url_option, config_option, db_option


def _document(line: str, lineno: int) -> Document:
    try:
        raw = json.loads(line)
        published = raw.get("published")
        return Document(
            url=raw.get("url") or "",
            title=raw.get("title") or "",
            text=raw.get("text") or "",
            published=dt.date.fromisoformat(published[:10]) if published else None,
            html=raw.get("html"),
        )
    except (ValueError, AttributeError, TypeError) as exc:
        raise click.ClickException(
            f"line {lineno}: not a JSON object with url/title/text ({exc})"
        ) from exc


MAX_LINE_BYTES = 8 * 1024 * 1024  # a longer input line is reported and skipped, never held


def _input_lines(file: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for each line; ``None`` for one longer than MAX_LINE_BYTES,
    which is read past in bounded chunks (memory stays flat whatever the input)."""
    lineno = 0
    while line := file.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := file.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _decoded(line: bytes | None, lineno: int) -> str:
    if line is None:
        raise click.ClickException(f"line {lineno}: longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, skipped")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"line {lineno}: not UTF-8 (byte 0x{line[exc.start]:02x} at byte {exc.start + 1}), skipped") from None


@click.command("analyze")
@click.argument("file", type=click.File("rb"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write JSON Lines (default: stdout).")  # fmt: skip
def analyze_cmd(file: BinaryIO, output: TextIO) -> None:
    """Analyse releases from FILE (JSON Lines with url, title, text, optional published and
    html; '-' reads stdin). Writes one JSON line per release: label, ki, visitors,
    amounts_eur, published, event_date, evidence. A bad line (not UTF-8, not JSON, too long)
    is named on stderr and skipped; the exit code is then 1."""
    bad = 0
    for lineno, raw in _input_lines(file):
        try:
            line = _decoded(raw, lineno)
            if not line.strip():
                continue
            doc = _document(line, lineno)
        except click.ClickException as exc:
            bad += 1
            click.echo(f"ki-monitor: error: {exc.format_message()}", err=True)
            continue
        out = {"url": doc.url, **analyze(doc).to_json()}
        output.write(json.dumps(out, ensure_ascii=False) + "\n")
    if bad:
        raise Failure(f"{bad} bad input line(s) skipped, see above")


@click.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--wrong/--no-wrong", default=True,
              help="List the development documents it got wrong (never the blind ones).")  # fmt: skip
def eval_cmd(directory: Path, wrong: bool) -> None:
    """Score the analysis on a labelled corpus: DIRECTORY of labelled JSON documents, the
    corpus root with seeds_labelled.json, the seeds directory, or the blind set
    (tests/data/blind). Prints the blind part first (corpus: hosts never used for rule-writing,
    chosen by a salted hash before the rules were written; blind set: b050 and above;
    aggregate figures only), then the development part (d001-d050, the other new documents
    and the seeds; b001-b049): per-label precision/recall/F1, confusion matrix, macro-F1, KI, visitor,
    amount and date accuracy."""
    from monitor.analysis import corpus, evaluate

    golds = corpus.load(directory)
    if not golds:
        raise click.ClickException(f"no labelled documents found in {directory}")
    _, preds = evaluate.run(golds)
    ms = evaluate.ms_per_doc(golds)
    parts = [
        ("blind", corpus.blind_part(golds), f" ({corpus.blind_note(golds)})"),
        ("development", corpus.development_part(golds), " (rules were written from these)"),
    ]
    first = True
    for name, idx, note in parts:
        if not idx:
            continue
        part = evaluate.score([golds[i] for i in idx], [preds[i] for i in idx], ms)
        if name == "blind" or not wrong:
            part.wrong = []  # blind errors stay unseen: no per-document output
        if not first:
            click.echo("")
        first = False
        click.echo(part.format(f"== {name} part: {len(idx)} documents in {directory}{note}"))


@click.command("reanalyze")
@db_option
@click.option("--feeds-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the feeds (default: [run] feeds_dir, else beside the database).")  # fmt: skip
@base_url_option
@config_option
@click.option("--all", "everything", is_flag=True,
              help="Re-run every stored release, not only those analysed by older rules.")  # fmt: skip
def reanalyze_cmd(db: str | None, feeds_dir: Path | None, base_url: str | None, config_file: str | None,
                  everything: bool) -> None:
    """Re-run the analysis on stored releases after rules or knowledge changed, regroup events
    and rewrite the feeds. Feed entries keep their GUIDs and publication dates, so old releases
    are not announced as new."""
    from monitor.analysis import ANALYSIS_VERSION
    from monitor.clock import now
    from monitor.config import load_config
    from monitor.understand import Understanding
    from storage.db import open_db, transaction

    cfg = load_config(config_file)
    db = db or cfg.db
    target = cfg.feed_target(db, feeds_dir, base_url)
    factory = open_db(db)
    with transaction(factory) as session:
        changed = Understanding(session, now).run(everything=everything)
    with factory() as session:
        target.write(session)
    click.echo(
        f"analysis {ANALYSIS_VERSION}: {len(changed)} releases changed; feeds written to {target.folder}"
    )
