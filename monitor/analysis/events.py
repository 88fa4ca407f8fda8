"""One event, many sources: deciding whether two analysed releases report the same event.

Evidence is the *facts* (label, KI, visitors, dates, amounts), never text similarity: the
ministry's template paragraphs recur in releases about different visits (another KI, another
day), while the city, the ministry and a newspaper word the same visit differently.
"""

from __future__ import annotations

import datetime as dt

from . import Analysis, Document

EVENT_LABELS = ("visit", "funding")
# How far apart two reports of one visit may date: event dates are exact, publication dates
# trail the event (weekly papers, party sites reposting).
EXACT_WINDOW = dt.timedelta(days=1)
LOOSE_WINDOW = dt.timedelta(days=10)
FUNDING_WINDOW = dt.timedelta(days=21)


def _surnames(a: Analysis) -> set[str]:
    return {v.split("(")[0].split()[-1].casefold() for v in a.visitors if v.split("(")[0].split()}


def _day(a: Analysis) -> tuple[dt.date | None, bool]:
    """The event's day and whether it is an event date (exact) or only the publication date."""
    if a.event_date:
        return a.event_date, True
    return a.published, False


def _close(a: Analysis, b: Analysis, loose: dt.timedelta) -> bool | None:
    """True/False when both are dated, None when one is not."""
    (da, ea), (db, eb) = _day(a), _day(b)
    if da is None or db is None:
        return None
    window = EXACT_WINDOW if ea and eb else loose
    return abs(da - db) <= window


def same_event(a: tuple[Document, Analysis], b: tuple[Document, Analysis]) -> bool:
    (doc_a, an_a), (doc_b, an_b) = a, b
    if doc_a.url and doc_a.url == doc_b.url:
        return True
    if an_a.label != an_b.label or an_a.label not in EVENT_LABELS:
        return False
    kis_a, kis_b = set(an_a.ki), set(an_b.ki)
    if kis_a != kis_b and not (kis_a & kis_b):
        return False  # different KIs (or one statewide, one local): different events
    if an_a.label == "visit":
        sa, sb = _surnames(an_a), _surnames(an_b)
        if sa and sb and not sa & sb:
            return False
        close = _close(an_a, an_b, LOOSE_WINDOW)
        if close is None:  # one report undated: trust only a full match of KI and visitor
            return bool(kis_a & kis_b) and bool(sa & sb)
        return close and bool(kis_a & kis_b or sa & sb)
    # funding
    money_a, money_b = set(map(float, an_a.amounts_eur)), set(map(float, an_b.amounts_eur))
    if money_a and money_b and not money_a & money_b:
        return False
    close = _close(an_a, an_b, FUNDING_WINDOW)
    if close is None:
        return bool(money_a & money_b) and bool(kis_a & kis_b)
    return close and bool(money_a & money_b or (kis_a & kis_b))


def event_key(doc: Document, a: Analysis) -> str:
    """Fingerprint for looking up candidates: label, KIs, visitor surnames, ISO week of the
    event (or publication) date. Reports of one event can straddle a week boundary, so look
    up the neighbouring weeks too (:func:`event_keys_around`) and confirm with
    :func:`same_event`."""
    return _key(a, _day(a)[0])


def event_keys_around(doc: Document, a: Analysis) -> list[str]:
    day = _day(a)[0]
    if day is None:
        return [_key(a, None)]
    return [_key(a, day + dt.timedelta(weeks=w)) for w in (-1, 0, 1)]


def _key(a: Analysis, day: dt.date | None) -> str:
    kis = "+".join(sorted(a.ki)) or "NRW"
    who = "+".join(sorted(_surnames(a))) if a.label == "visit" else ""
    if day is None:
        when = "undated"
    else:
        year, week, _ = day.isocalendar()
        when = f"{year}-W{week:02d}"
    return f"{a.label}|{kis}|{who}|{when}"
