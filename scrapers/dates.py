"""Finding the publication date of a German press page.

Ranked evidence, strongest first (library notes: markup dates were always right, text heuristics
alone are not enough; "Stand:" is a page-edit date and loses to any explicit date line):

1. HTML markup: ``article:published_time`` / ``datePublished`` / ``<time datetime>``
2. labelled date lines: "Veröffentlicht am", "Herausgegeben am", "Meldungsdatum:", "Datum:",
   "Archiv-Beitrag vom", "Pressemitteilung Nr. 12/2017 vom ..."
3. a date in the URL path (``/2013/12/13/``, ``2018-03-16``)
4. a line that holds nothing but a date (with weekday, time, place or category tag)
5. "heute (2. August)" - the year taken from the page's other dates
6. "Stand: 16.03.2018"
7. "teilte ... am Dienstag, 5. September 2023, mit"

Dates inside running text (event dates, founding years, deadlines) are never used. A listing of
several releases gets no date from steps 4-7: a page with three or more bare date lines, a page
titled like an archive or overview ("Newsarchiv", "Pressemitteilungen"), or one with an archive
heading line or several "weiterlesen" teaser links beside its date lines.
No network, a few regular expressions: about a millisecond per page.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1,
    "februar": 2, "feb": 2, "febr": 2,
    "märz": 3, "mär": 3, "maerz": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip

WEEKDAYS = (
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So)\.?"
)
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

# A full date in one of the German spellings or ISO.
NUMERIC = r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)"
VERBAL = rf"(?P<d2>\d{{1,2}})\.\s*(?P<mon>{_MONTH_RE})\.?\s+(?P<y2>(?:19|20)\d{{2}})"
ISO = r"(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})"
DATE = rf"(?:{ISO}|{NUMERIC}|{VERBAL})"
DATE_RE = re.compile(DATE, re.IGNORECASE)

# Matched against the lower-cased text with case-sensitive labels: a pattern that starts with
# plain letters lets the regex engine jump to candidate positions, which IGNORECASE prevents
# (4x faster on a page).
_LABELLED = re.compile(
    r"(?:ver[öo]ffentlicht(?:\s+am)?|herausgegeben\s+am|meldungsdatum|erstellt\s+am|"
    r"erscheinungsdatum|pressedatum|archiv-beitrag\s+vom|beitrag\s+vom|"
    r"presse(?:mitteilung|information|meldung)(?:\s+nr\.\s*[\d/.-]+)?\s+vom)"
    rf"(?i:\s*:?\s*(?:{WEEKDAYS},?\s*)?(?P<date>{DATE}))"
)
# A bare "Datum:" is the page's date only in its head or foot; inside the body it is usually
# the date of an event being announced.
_DATUM = re.compile(rf"^\s*Datum\s*:?\s*(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})", re.I | re.M)
_EDGE_LINES = 12
# "9:30 - 11:00 Uhr", "ab 16.30 Uhr": a programme, not a date line.
_TIME_RANGE = re.compile(
    r"\d\s*(?:-|–|bis)\s*\d{1,2}[:.]\d{2}|\bab\s+\d{1,2}(?:[:.]\d{2})?\s*Uhr", re.I
)
_STAND = re.compile(rf"\bStand\s*:?\s*(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})", re.IGNORECASE)
# A line that is only a date (plus weekday, time, a place or a "| Rubrik" tag).
_DATE_LINE = re.compile(
    rf"^\s*(?:[•·*\-–]\s*)?(?:{WEEKDAYS},?\s*)?(?P<date>{DATE})"
    r"(?:,?\s*(?:\d{1,2}[:.]\d{2}\s*(?:Uhr)?))?"
    r"(?:\s*(?:\||–|-|,)?\s*[A-ZÄÖÜ][\wäöüß./ -]{0,30})?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_TODAY = re.compile(
    r"\bheute\s*\(\s*(?:" + WEEKDAYS + r",?\s*)?"
    rf"(?:(?P<d>\d{{1,2}})\.\s*(?P<mon>{_MONTH_RE})\.?|(?P<dn>\d{{1,2}})\.(?P<mn>\d{{1,2}})\.)"
    r"\s*(?P<y>(?:19|20)\d{2})?\s*\)",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(
    rf"\b(?:teilte|gab)\b[^.]{{0,120}}?\bam\s+(?:{WEEKDAYS},?\s*)?(?P<date>{DATE}),?\s+"
    r"(?:mit|bekannt)\b",
    re.IGNORECASE,
)
# Titles of archive and overview pages, optionally with a site name, year or page number.
_OVERVIEW_TITLE = re.compile(
    r"^\W*(?:(?:news|nachrichten|presse|pressemitteilungs?|meldungs?|beitrags?)-?archiv\w*|archiv"
    r"|pressemitteilungen|pressemeldungen|presseinformationen|meldungen|nachrichten|neuigkeiten"
    r"|news|aktuelles|(?:aktuelle|alle|weitere)\s+(?:meldungen|nachrichten|pressemitteilungen))"
    r"(?:\s*(?:[-–|:,(]|\d{4}\b|seite\s+\d).*)?\W*$",
    re.IGNORECASE,
)
# A heading line naming an archive ("Newsarchiv", "Archiv 2022"): on a release page it is
# rare (navigation comes as a breadcrumb), on a listing it sits above the teasers.
_ARCHIVE_LINE = re.compile(
    r"^\W*(?:news|nachrichten|presse|meldungs?|beitrags?)?-?archiv(?:\s+\d{4})?\W*$", re.I | re.M
)
_TEASER_LINE = re.compile(
    r"^\W*(?:weiterlesen|mehr\s+lesen|mehr(?:\s+erfahren)?|zum\s+artikel|zur\s+meldung|"
    r"artikel\s+lesen|details)\W*$",
    re.I | re.M,
)
_URL_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?!\d)")
_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|"""
    r"""og:published_time|datePublished|date|dc\.date(?:\.issued)?|pubdate|publish-date)["']"""
    r"""[^>]*>""",
    re.IGNORECASE,
)
_META_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_JSONLD = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TIME = re.compile(r"""<time[^>]+datetime\s*=\s*["']([^"']+)["']""", re.IGNORECASE)

MIN_YEAR = 1990


def _valid(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000 if y < 70 else 1900
    if not MIN_YEAR <= y <= dt.date.today().year + 1:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    if g.get("y3"):
        return _valid(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    if g.get("y"):
        return _valid(int(g["y"]), int(g["m"]), int(g["d"]))
    if g.get("y2"):
        return _valid(int(g["y2"]), MONTHS[g["mon"].lower()], int(g["d2"]))
    return None


def parse_german_date(s: str) -> dt.date | None:
    """Parse the first full date in ``s`` ("16.03.2018", "2. August 2017", "2018-03-16")."""
    m = DATE_RE.search(s or "")
    return _from_match(m) if m else None


def _parse_markup_value(v: str) -> dt.date | None:
    """A markup timestamp as the Berlin calendar date: ``2018-10-01T22:30:00Z`` is 2 October
    (a release at 00:30 Berlin time carries the previous day in UTC)."""
    m = re.match(r"\s*((?:19|20)\d{2})-(\d{2})-(\d{2})", v)
    if not m:
        return parse_german_date(v)
    stamp = v.strip().replace("Z", "+00:00")
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}:?\d{2}$", stamp):
        try:
            local = dt.datetime.fromisoformat(stamp).astimezone(BERLIN).date()
            return _valid(local.year, local.month, local.day)
        except ValueError:
            pass
    return _valid(int(m[1]), int(m[2]), int(m[3]))


# Boxes of other articles (related, most read, teasers, sidebars): their dates are not the page's.
_OTHER_ARTICLES = ("ancestor::aside or ancestor::nav or ancestor::footer or ancestor::*[contains(@class,'related') "
                   "or contains(@class,'sidebar') or contains(@class,'teaser') or contains(@class,'meistgelesen') "
                   "or contains(@class,'weitere') or contains(@class,'more-articles') or contains(@id,'sidebar')]")


def _own_time_elements(html: str) -> list[str]:
    """``<time datetime>`` values of the page's own article, not of boxes of other articles."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return _TIME.findall(html)
    return [str(v) for v in tree.xpath(f"//time[@datetime and not({_OTHER_ARTICLES})]/@datetime")]


def from_html(html: str) -> dt.date | None:
    """Markup dates: meta tags, JSON-LD, then the first ``<time datetime>`` of the article."""
    for tag in _META.findall(html):
        c = _META_CONTENT.search(tag)
        if c and (d := _parse_markup_value(c[1])):
            return d
    for v in _JSONLD.findall(html):
        if d := _parse_markup_value(v):
            return d
    if "<time" in html:
        for v in _own_time_elements(html):
            if d := _parse_markup_value(v):
                return d
    return None


def publication_date(page: dt.date | None, channel: dt.date | None) -> dt.date | None:
    """The date a release was published, from its page and from the channel that listed it.

    A listing's or feed's date is the publication date; a later date on the page itself is
    usually a "Stand:" or "Aktualisiert:" line (the page was edited), so the channel wins then.
    """
    if page and channel and page > channel:
        return channel
    return page or channel


def from_url(url: str) -> dt.date | None:
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "")
    for m in _URL_DATE.finditer(path):
        if d := _valid(int(m["y"]), int(m["m"]), int(m["d"])):
            return d
    return None


def _first(rx: re.Pattern[str], text: str) -> dt.date | None:
    for m in rx.finditer(text):
        sub = DATE_RE.search(m.group("date"))
        if sub and (d := _from_match(sub)):
            return d
    return None


def _date_lines(text: str) -> list[dt.date]:
    out = []
    for m in _DATE_LINE.finditer(text):
        if _TIME_RANGE.search(m.group(0)):
            continue
        sub = DATE_RE.search(m.group("date"))
        if sub and (d := _from_match(sub)):
            out.append(d)
    return out


def _today(text: str, context_years: list[int]) -> dt.date | None:
    for m in _TODAY.finditer(text):
        if m["d"]:
            day, month = int(m["d"]), MONTHS[m["mon"].lower()]
        else:
            day, month = int(m["dn"]), int(m["mn"])
        if m["y"]:
            return _valid(int(m["y"]), month, day)
        if len(set(context_years)) == 1:  # the year only when the page agrees on one
            return _valid(context_years[0], month, day)
    return None


def is_listing(text: str, title: str | None = None, bare_dates: int = 0) -> bool:
    """A page listing several releases (see module doc), whose dates belong to its teasers."""
    if bare_dates >= 3 or (title and _OVERVIEW_TITLE.match(title.strip())):
        return True
    teasers = len(_TEASER_LINE.findall(text))
    if _ARCHIVE_LINE.search(text) and (bare_dates >= 2 or teasers >= 1):
        return True
    return teasers >= 2 and bare_dates >= 1


def find_published(
    text: str, html: str | None = None, url: str | None = None, title: str | None = None
) -> dt.date | None:
    """The publication date a page prints, or None when it prints none (see module doc).
    ``title`` (the page headline) helps to recognise archive and overview pages."""
    if html and (d := from_html(html)):
        return d
    text = text or ""
    low = text.lower()
    if d := _first(_LABELLED, low):
        return d
    lines = [ln for ln in text.splitlines() if ln.strip()]
    edges = "\n".join(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:])
    if d := _first(_DATUM, edges):
        return d
    if url and (d := from_url(url)):
        return d
    bare = _date_lines(text)
    if is_listing(text, title, len(bare)):
        return None
    if bare:
        return bare[0]
    # Each of the remaining patterns needs its key word: a substring test on the lower-cased
    # text spares most pages the scans.
    stand = _first(_STAND, text) if "stand" in low else None
    years = [d.year for d in (*bare, stand) if d]
    if "heute" in low and (d := _today(text, years)):
        return d
    if stand:
        return stand
    return _first(_ANNOUNCED, text) if "teilte" in low or "gab" in low else None
