"""Euro amounts as numbers; allowances and prizes are not funding."""

from __future__ import annotations

import pytest

from monitor.analysis import amounts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2016 wurden rund 39,4 Millionen Euro für die Arbeit bereitgestellt.", [39_400_000]),
        ("Die Pauschale von 432,8 Mio. € geht an die Kommunen.", [432_800_000]),
        ("Dafür stehen jährlich rund 750.000 Euro bereit.", [750_000]),
        ("Das Land stellt rund zwei Millionen Euro zur Verfügung.", [2_000_000]),
        ("Insgesamt 1,2 Mrd. EUR fließen in die Integration.", [1_200_000_000]),
        ("Fördermittel von 4,41 Millionen Euro sind eingeplant.", [4_410_000]),
        ("Der Zuschuss beträgt 12.500,50 Euro.", [12_500.5]),
    ],
)
def test_amount_spellings_become_numbers(sentence: str, expected: list) -> None:
    found, _ = amounts.find([sentence])
    assert [a.value for a in found] == expected


def test_hourly_allowance_is_not_funding() -> None:
    s = "Gezahlt wird eine Aufwandsentschädigung von 25 Euro für die erste Stunde und 15 Euro je weitere."
    found, skipped = amounts.find([s])
    assert found == []
    assert skipped


def test_prize_money_is_not_funding() -> None:
    found, _ = amounts.find(["Der Integrationspreis ist mit 5.000 Euro dotiert."])
    assert found == []


def test_rounded_restatement_keeps_the_precise_amount() -> None:
    found, _ = amounts.find(
        ["Integrationspauschale von mehr als 430 Millionen Euro wird weitergegeben.",
         "Die Landesregierung gibt 432,8 Millionen Euro an die Kommunen weiter."]
    )  # fmt: skip
    assert [a.value for a in found] == [432_800_000]


def test_repeated_amount_is_listed_once_and_counts_are_not_money() -> None:
    found, _ = amounts.find(
        ["Im Haushalt 2019 stehen 68 Millionen Euro.", "22 Einrichtungen, 68 Millionen Euro."]
    )
    assert [a.value for a in found] == [68_000_000]
