"""The 54 Kommunale Integrationszentren, as shipped in ``data/ki_registry.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

STATEWIDE = "NRW"


@dataclass(frozen=True)
class KI:
    name: str
    type: str
    regierungsbezirk: str
    main_host: str
    pages_seen: tuple[str, ...] = ()


@cache
def load_kis() -> tuple[KI, ...]:
    raw = json.loads(resources.files("scrapers").joinpath("data/ki_registry.json").read_text("utf-8"))
    return tuple(
        KI(
            name=k["name"],
            type=k["type"],
            regierungsbezirk=k["regierungsbezirk"],
            main_host=k["main_host"],
            pages_seen=tuple(k.get("pages_seen", ())),
        )
        for k in raw["kis"]
    )


@cache
def ki_by_name() -> dict[str, KI]:
    return {k.name: k for k in load_kis()}


def regierungsbezirke() -> list[str]:
    return sorted({k.regierungsbezirk for k in load_kis()})
