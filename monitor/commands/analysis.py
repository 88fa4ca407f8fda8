"""``ki-monitor analyze`` and ``ki-monitor eval``: the release analysis from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TextIO

import click

from monitor.analysis import Document, analyze


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


@click.command("analyze")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write JSON Lines (default: stdout).")  # fmt: skip
def analyze_cmd(file: TextIO, output: TextIO) -> None:
    """Analyse releases from FILE (JSON Lines with url, title, text, optional published and
    html; '-' reads stdin). Writes one JSON line per release: label, ki, visitors,
    amounts_eur, published, event_date, evidence."""
    for lineno, line in enumerate(file, 1):
        if not line.strip():
            continue
        doc = _document(line, lineno)
        out = {"url": doc.url, **analyze(doc).to_json()}
        output.write(json.dumps(out, ensure_ascii=False) + "\n")


@click.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--wrong/--no-wrong", default=True, help="List the documents it got wrong.")
def eval_cmd(directory: Path, wrong: bool) -> None:
    """Score the analysis on a labelled corpus: DIRECTORY of labelled JSON documents, the
    corpus root with seeds_labelled.json, or the seeds directory. Prints per-label
    precision/recall/F1, macro-F1, KI, visitor, amount and date accuracy, and the held-out
    part (every 5th labelled document, kept out of rule-writing) separately."""
    from monitor.analysis import corpus, evaluate

    golds = corpus.load(directory)
    if not golds:
        raise click.ClickException(f"no labelled documents found in {directory}")
    report, preds = evaluate.run(golds)
    if not wrong:
        report.wrong = []
    click.echo(report.format(f"== all {len(golds)} documents in {directory}"))
    held = [i for i, g in enumerate(golds) if g.held_out]
    if held and len(held) < len(golds):
        for name, idx in (
            ("held-out", held),
            ("rule-writing", [i for i in range(len(golds)) if i not in held]),
        ):
            part = evaluate.score(
                [golds[i] for i in idx], [preds[i] for i in idx], report.ms_per_doc
            )
            part.wrong = []  # already listed above
            click.echo("")
            click.echo(part.format(f"== {name} part: {len(idx)} documents"))
