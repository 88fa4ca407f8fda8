"""The publication date a release prints in its text, for documents that come without HTML.

Why beside the crawler's finder (``scrapers.dates``): that one serves HTML pages at crawl time;
``ki-monitor analyze`` gets plain text (often pasted or reconstructed) and must still return the
date the page prints. This module adds the phrasings the text finder misses and takes the
event dates out before it runs; the shared parts (date spellings, markup, URL dates, listing
pages) are imported from ``scrapers.dates``, never copied.

Order, strongest first:

1. HTML markup, when given.
2. Labelled dates: "Meldungsdatum: 18.03.2022", a line "Meldung vom 3.4.2019", "Artikel vom",
   "Pressemitteilung Nr. 12/2017 vom ...", "Herausgegeben am ...", "veröffentlicht am ...",
   and "Datum 02.08.2017" at the head or foot of the page (``scrapers.dates`` knows most).
3. A date line near the title (the title line and the four lines around it): "04.07.2020",
   "Sonntag, 04. September 2016".
4. A byline: a line of weekday, date and clock time ("Donnerstag, 05.04.2018, 15:04 Uhr"),
   also after an author ("Von Anna Beispiel, Mittwoch, 3. Mai 2017, 9:12 Uhr").
4a. A date line in the page head (analysis 2026.2: the lines before the body's first
   paragraph): a date after a place ("Bergisch Gladbach, 05.11.2019", "Kreis Borken,
   02.08.2017", "Musterstadt (ots) - 12.03.2019"), as one segment of a line cut by "·", "|"
   or " / " ("Pressemitteilung · Ministerium für Arbeit · 18.04.2013", "17.08.2023 | 18:30
   Uhr", "13. Juni 2023 um 18:05 Uhr | Lesedauer: 2 Minuten", "12.03.2019 / Pressestelle",
   "Di, 12.03.2019 - 10:15"). A teaser line "12.04.2023 – Kreistag beschließt ..." is no date
   line: its segment holds more than the date.
5. A date in the URL, year first (``/2016/06/23/``) or day first (``/18-01-2024-...``).
6. The rest of ``scrapers.dates.find_published`` (bare date lines, "heute (2. August)",
   "Stand:", "teilte ... am ... mit").

A listing of several releases (``scrapers.dates.is_listing``) gets no date from steps 3-4:
its date lines belong to the teasers.

Distractors: event dates. A date after "Wann:", "Zeit:", "Termin:", "Datum der Veranstaltung"
(on the same line or as the next line) is the event's, never the page's; so are dates inside
running text. "Stand:" only counts when nothing else is printed.
"""

from __future__ import annotations

import datetime as dt
import re

from scrapers.dates import (
    DATE,
    DATE_RE,
    WEEKDAYS,
    find_published,
    from_html,
    from_url,
    is_listing,
    parse_german_date,
)
from scrapers.dates import (  # the crawler's own count of bare date lines, not a copy
    _date_lines as bare_date_lines,
)

# Labels the crawler's finder does not know (it already has Meldungsdatum, Herausgegeben am,
# veröffentlicht am, Pressemitteilung [Nr. ...] vom, Beitrag vom).
# Only as a line of its own: "In einer Mitteilung vom 3. Mai ..." in running text cites an
# older release.
_LABELLED = re.compile(
    r"(?im)^[\s\[(|•-]*(?:(?:meldung|artikel|nachricht|news|mitteilung|presseinfo|eintrag|"
    r"presse(?:mitteilung|information|meldung)(?:\s+nr\.\s*[\d/.-]+)?)\s+vom|meldungsdatum|"
    r"ver[öo]ffentlicht(?:\s+am)?|herausgegeben\s+am|erstellt(?:\s+am)?)\s*:?\s*"
    rf"(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})"
)
# "Datum 02.08.2017" / "Datum: 02.08.2017" at the start of a line.
_DATUM = re.compile(rf"(?im)^\s*Datum\s*:?\s*(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})")
_EVENT_LABEL = re.compile(
    r"(?i)^\s*(?:wann|zeit|termin|uhrzeit|beginn|datum\s+der\s+veranstaltung|"
    r"veranstaltungsdatum|datum\s+und\s+uhrzeit)\s*:"
)
_DATE_ONLY = re.compile(
    rf"(?i)^\s*(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})\s*(?:,?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:Uhr)?)?\s*$"
)
# At the start of a line, or after "Von <author>": "am Mittwoch, 3. Mai 2017, um 18:00 Uhr"
# inside a sentence is an event's time.
_BYLINE = re.compile(
    r"(?im)^[\s|•-]*(?:(?:von|text:?)\s+[A-ZÄÖÜ][\wäöüß.-]*(?:\s+[A-ZÄÖÜ][\wäöüß-]*){0,2}\s*[,|–-]\s*)?"
    rf"{WEEKDAYS},?\s*(?P<date>{DATE}),?\s*\d{{1,2}}[:.]\d{{2}}\s*Uhr\s*$"
)
_URL_DAY_FIRST = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)[-_.](?P<m>[01]?\d)[-_.](?P<y>(?:19|20)\d{2})(?!\d)")
_HEAD_SEGMENT = re.compile(
    r"(?i)^(?:[A-ZÄÖÜ][\wäöüß.()/-]*(?:\s+[\wäöüßÄÖÜ.()/-]+){0,3}(?:,|\s+[–-])\s*)?"
    rf"(?:{WEEKDAYS},?\s*)?(?P<date>{DATE}),?"
    r"(?:\s*[–-]?\s*(?:um\s+)?\d{1,2}[:.]\d{2}\s*(?:Uhr)?)?$"
)
_SEGMENT_CUT = re.compile(r"\s+[·|•/]\s+|\s*\|\s*")
_HEAD_LINES = 15
_TITLE_WINDOW = 2  # lines before and after the title line
_EDGE_LINES = 12


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


def without_event_dates(text: str) -> str:
    """The text with event-date lines blanked: a line labelled "Wann:" / "Zeit:" / "Termin:"
    and a bare date line right after such a label."""
    out: list[str] = []
    after_label = False
    for line in (text or "").splitlines():
        if _EVENT_LABEL.match(line):
            out.append("")
            after_label = not DATE_RE.search(line)
            continue
        if after_label and line.strip():
            after_label = False
            if DATE_RE.search(line) and len(line) < 60:
                out.append("")
                continue
        out.append(line)
    return "\n".join(out)


def _first_date(rx: re.Pattern[str], text: str) -> dt.date | None:
    for m in rx.finditer(text):
        if d := parse_german_date(m["date"]):
            return d
    return None


def _near_title(lines: list[str], title: str) -> dt.date | None:
    """A line holding only a date within a few lines of the title line."""
    key = re.sub(r"\s+", " ", title or "").strip()[:60]
    if not key:
        return None
    for i, line in enumerate(lines[:40]):
        if re.sub(r"\s+", " ", line).startswith(key):
            for near in lines[max(0, i - _TITLE_WINDOW) : i + _TITLE_WINDOW + 1]:
                if _DATE_ONLY.match(near) and (d := parse_german_date(near)):
                    return d
            return None
    return None


def head_date_line(lines: list[str]) -> dt.date | None:
    """A date line among the lines before the body's first paragraph (step 4a of the module
    doc): the whole line or one of its "·" / "|" segments is a date, after a place or alone,
    perhaps with a clock time. Tests: "Bergisch Gladbach, 05.11.2019" and "Pressemitteilung ·
    20.09.2023" give their dates; "12.04.2023 – Kreistag beschließt Schulentwicklungsplan"
    gives none."""
    for line in lines[:_HEAD_LINES]:
        if len(_WORD_RX.findall(line)) >= _BODY_WORDS and re.search(r"[.!?:“\"]\s*$", line):
            return None  # the body has begun: later date lines are teasers or event dates
        if len(line) > 160:
            continue
        for segment in _SEGMENT_CUT.split(line):
            m = _HEAD_SEGMENT.match(segment.strip())
            if m and (d := parse_german_date(m["date"])):
                return d
    return None


_WORD_RX = re.compile(r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß-]*")
_BODY_WORDS = 12


def from_url_day_first(url: str) -> dt.date | None:
    """``/18-01-2024-regierungspraesident...`` or ``/02-02-2021-...``: day, month, year."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "")
    for m in _URL_DAY_FIRST.finditer(path):
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
    return None


def find(text: str, html: str | None = None, url: str | None = None,
         title: str | None = None) -> dt.date | None:  # fmt: skip
    """The publication date the page prints, or None (see the module doc for the order)."""
    if html and (d := from_html(html)):
        return d
    clean = without_event_dates(text)
    lines = _lines(clean)
    edges = "\n".join(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:])
    if d := _first_date(_LABELLED, clean) or _first_date(_DATUM, edges):
        return d
    # The listing test counts date lines as the crawler does, on the text as printed.
    if is_listing(text or "", title, len(bare_date_lines(text or ""))):
        # A listing's date lines belong to its teasers (as in the crawler's finder).
        return find_published(clean, None, url, title) or from_url_day_first(url or "")
    for step in (
        lambda: _near_title(lines, title or ""),
        lambda: _first_date(_BYLINE, clean),
        lambda: head_date_line(lines),
        lambda: from_url(url or "") or from_url_day_first(url or ""),
    ):
        if d := step():
            return d
    return find_published(clean, None, url, title)
