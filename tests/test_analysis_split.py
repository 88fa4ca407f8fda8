"""The blind split is decided by a rule over hosts, never by reading texts."""

from __future__ import annotations

from monitor.analysis import Document
from monitor.analysis.corpus import Gold, host_is_drawn_blind, mark_blind


def _gold(doc_id: str, host: str) -> Gold:
    return Gold(doc_id, Document(url=f"https://{host}/", title="", text=""), "other", [], [], [],
                None, host)  # fmt: skip


def _hosts(blind: bool) -> list[str]:
    return [h for h in (f"site{i}.example" for i in range(40)) if host_is_drawn_blind(h) is blind]


def test_new_documents_from_unseen_hosts_drawn_blind_are_blind() -> None:
    drawn, not_drawn = _hosts(True)[0], _hosts(False)[0]
    golds = mark_blind([_gold("d010", "old.example"), _gold("d060", drawn), _gold("d061", not_drawn)])
    assert [g.blind for g in golds] == [False, True, False]


def test_a_host_seen_while_writing_rules_is_never_blind() -> None:
    drawn = _hosts(True)[0]
    golds = mark_blind([_gold("d007", drawn), _gold("d070", drawn)])
    assert not any(g.blind for g in golds)


def test_seeds_and_early_documents_are_never_blind() -> None:
    drawn = _hosts(True)
    golds = mark_blind([_gold("seed001", drawn[0]), _gold("d049", drawn[1])])
    assert not any(g.blind for g in golds)


def test_the_draw_is_a_fair_coin_over_hosts() -> None:
    assert 10 <= len(_hosts(True)) <= 30


def test_blind_set_documents_from_b050_are_blind_and_earlier_ones_development() -> None:
    golds = mark_blind([_gold("b049", "a.example"), _gold("b050", "a.example"),
                        _gold("b075", "b.example")])  # fmt: skip
    assert [g.blind for g in golds] == [False, True, True]


def test_blind_set_numbers_do_not_count_as_corpus_rule_writing_documents() -> None:
    drawn = _hosts(True)[0]
    golds = mark_blind([_gold("b010", drawn), _gold("d070", drawn)])
    assert [g.blind for g in golds] == [False, True]
