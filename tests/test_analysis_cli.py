"""``ki-monitor analyze`` and ``ki-monitor eval`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.commands.analysis import analyze_cmd, eval_cmd, reanalyze_cmd

SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_analyze_reads_stdin_and_writes_json_lines() -> None:
    docs = [
        {"url": "https://www.herne.de/x", "title": "Staatssekretärin Güler besucht Kommunales Integrationszentrum",
         "text": "Am Donnerstag, 3. August, hat sich Integrationsstaatssekretärin Serap Güler über die "
                 "Arbeit des Kommunalen Integrationszentrums Herne informiert.", "published": "2017-08-03"},
        {"url": "https://example.org/y", "title": "Sperrung", "text": "Die Straße ist bis Juni gesperrt."},
    ]  # fmt: skip
    stdin = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"
    result = CliRunner().invoke(analyze_cmd, ["-"], input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["label"] for r in rows] == ["visit", "irrelevant"]
    first = rows[0]
    assert first["url"] == "https://www.herne.de/x"
    assert first["ki"] == ["Herne"]
    assert first["published"] == "2017-08-03" and first["event_date"] == "2017-08-03"
    assert {"visitors", "amounts_eur", "evidence"} <= set(first)


def test_analyze_names_the_bad_line() -> None:
    result = CliRunner().invoke(analyze_cmd, ["-"], input='{"url": "a", "text": "x"}\nnot json\n')
    assert result.exit_code != 0
    assert "line 2" in result.output


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"corpus not found at {SHARED}")
@pytest.mark.parametrize("sub", ["corpus/labelled", "corpus", "seeds"])
def test_eval_accepts_the_corpus_layouts(sub: str) -> None:
    result = CliRunner().invoke(eval_cmd, [str(SHARED / sub), "--no-wrong"])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "KI accuracy" in result.output


def test_reanalyze_on_an_empty_database_writes_feeds(tmp_path: Path) -> None:
    db, feeds = tmp_path / "m.db", tmp_path / "feeds"
    result = CliRunner().invoke(
        reanalyze_cmd, ["--db", str(db), "--feeds-dir", str(feeds), "--all"]
    )
    assert result.exit_code == 0, result.output
    assert "0 releases changed" in result.output
    assert any(feeds.iterdir())


def test_eval_of_the_blind_set_prints_its_blind_part_first_without_documents() -> None:
    blind_set = Path(__file__).parent / "data" / "blind"
    result = CliRunner().invoke(eval_cmd, [str(blind_set), "--wrong"])
    assert result.exit_code == 0, result.output
    blind, _, development = result.output.partition("== development part")
    assert blind.startswith("== blind part: 26 documents") and "b050 and above" in blind
    assert "wrong:" not in blind and not any(f"b0{n}:" in blind for n in range(50, 76))
    assert development.startswith(": 49 documents")
