"""The demo web's sites: which documents each publishes, in which CMS family.

Site ids are source ids: the demo's source registry points each source at its local site.
"""

from __future__ import annotations

from importlib import resources

from monitor.demoweb.documents import documents
from monitor.demoweb.families import FAMILIES
from monitor.demoweb.site import Entry, Site

# site id -> (name, KI of the source, family, document ids newest-first is derived, options)
DEMO_SITES: dict[str, dict] = {
    "land-nrw": dict(
        name="Landesregierung Nordrhein-Westfalen", ki="NRW", family="gsb", feed=True, per_page=5,
        docs=["seed003", "seed004", "d032", "d033", "d019", "d014", "d044", "d035", "d008", "d002", "d039", "d011"],
    ),
    "stk-nrw": dict(
        name="Staatskanzlei NRW – Presseinformationen", ki="NRW", family="gsb",
        docs=["seed002", "d024", "d041"], pdf={"seed002": "staatskanzlei-seed002.pdf"},
    ),
    "muelheim-an-der-ruhr": dict(
        name="Stadt Mülheim an der Ruhr", ki="Mülheim an der Ruhr", family="numeric", per_page=4,
        docs=["seed000", "d006", "d021", "d026", "d015", "d020"],
    ),
    "aachen": dict(
        name="Stadt Aachen", ki="Aachen", family="generic", sitemap=True,
        docs=["seed001", "d003", "d034"],
    ),
}


def _pdf(name: str) -> bytes:
    return resources.files("monitor.demoweb").joinpath(f"data/{name}").read_bytes()


def build_site(site_id: str) -> Site:
    spec = DEMO_SITES[site_id]
    docs = documents()
    pdfs = spec.get("pdf", {})
    entries = [
        Entry.from_document(docs[d], numeric_id=100200 + i, pdf=_pdf(pdfs[d]) if d in pdfs else None)
        for i, d in enumerate(spec["docs"])
    ]
    entries.sort(key=lambda e: e.published, reverse=True)
    return Site(
        id=site_id, name=spec["name"], family=FAMILIES[spec["family"]], entries=entries,
        per_page=spec.get("per_page", 6), feed=spec.get("feed", False), sitemap=spec.get("sitemap", False),
    )


def demo_sites() -> list[Site]:
    return [build_site(s) for s in DEMO_SITES]


def sources_toml(sites: list[Site]) -> str:
    """A source registry pointing at the running demo sites (start URL only, as users write)."""
    blocks = []
    for site in sites:
        ki = DEMO_SITES.get(site.id, {}).get("ki", "NRW")
        blocks.append(f'[[source]]\nid = "{site.id}"\nname = "{site.name}"\nki = "{ki}"\nurl = "{site.start_url}"\n')
    return "\n".join(blocks)


def late_entry() -> tuple[str, Entry]:
    """A release the demo publishes between its two runs (a visit, so it reaches the feed)."""
    return "land-nrw", Entry.from_document(documents()["d036"], numeric_id=100999)
