"""The date of the event (the visit, the handover) as the text tells it.

"heute (2. August)", "gestern", "am Donnerstag, 3. August", "Am Mittwoch (11. September 2019)",
"9. April 2015". A missing year comes from the publication date; without one, from the weekday
("Donnerstag (7. Juni)") within the years the visitor held office.
"""

from __future__ import annotations

import datetime as dt
import re

from scrapers.dates import _MONTH_RE, MONTHS

_WD = ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"]
_DAY = re.compile(
    rf"(?:(?P<wd>{'|'.join(_WD)})\s*,?\s*\(?\s*)?"
    rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s*(?:(?P<mon>{_MONTH_RE})\.?|(?P<mn>\d{{1,2}})\.)"
    r"\s*(?P<y>(?:19|20)\d{2})?(?!\d)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")  # _DAY needs one; most sentences have none
_RELATIVE = {"vorgestern": -2, "gestern": -1, "heute": 0, "heutigen": 0, "morgen": 1}
_REL_RX = re.compile(r"\b(vorgestern|gestern|heute|heutigen|morgen)\b", re.IGNORECASE)


def _candidate(m: re.Match[str], published: dt.date | None, years: range | None) -> dt.date | None:
    day = int(m["d"])
    month = MONTHS[m["mon"].lower()] if m["mon"] else int(m["mn"])
    if not 1 <= month <= 12:
        return None
    if m["y"]:
        years_to_try: list[int] = [int(m["y"])]
    elif published:
        years_to_try = [published.year, published.year - 1]
    elif years:
        years_to_try = list(years)
    else:
        return None
    hits = []
    for y in years_to_try:
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if m["wd"] and _WD[d.weekday()] != m["wd"].lower():
            continue
        if published and not m["y"] and d > published + dt.timedelta(days=60):
            continue
        hits.append(d)
    # Without a publication date the weekday must single out one year.
    return hits[0] if hits and (m["y"] or published or len(hits) == 1) else None


def find(
    sentences: list[str], published: dt.date | None, years: range | None = None
) -> dt.date | None:
    """First event date in ``sentences`` (callers pass the visit/event sentences first)."""
    for s in sentences:
        for m in _DAY.finditer(s) if _DIGIT.search(s) else ():
            if d := _candidate(m, published, years):
                return d
        if published and (r := _REL_RX.search(s)):
            return published + dt.timedelta(days=_RELATIVE[r[1].lower()])
    return None
