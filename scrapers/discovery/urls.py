"""URLs: which site a link belongs to, and the one URL a release goes by.

Real CMSs hand out many URLs for one article. The classes handled here, each seen on press
sites of German municipalities and ministries:

- **session ids** in the path (GSB's ``;jsessionid=…``, which changes from page to page) or the
  query (``sid``, ``PHPSESSID``, ``jsessionid``, ``sessionid``, ``cHash``-free presse-service
  ``sid``);
- **tracking parameters** (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid`` …);
- **variants of the same page**: print (TYPO3 ``type=98``, ``print=1``, ``druck``), high
  contrast (``contrast=1``), language switches (TYPO3 ``L``, ``lang``), TYPO3's ``no_cache``;

What URL normalisation cannot see (a ``/node/N`` shortlink, ``?p=N``, the same article id under
two paths) is resolved after the fetch from ``rel=canonical`` and redirects; the spider keeps
those as aliases.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit

SKIP_EXT = re.compile(
    r"\.(jpe?g|png|gif|svg|webp|ico|css|js|ics|vcf|zip|docx?|xlsx?|pptx?|odt|mp[34]|mov|avi)(\?|;|$)", re.I)
SKIP_PATH = re.compile(
    r"/(impressum|datenschutz\w*|kontakt|suche|search|login|anmelden|barrierefreiheit|"
    r"leichte-sprache|gebaerdensprache|sitemap|newsletter|"
    r"tag|tags|schlagwort\w*|category|kategorie|author|autor|feed|rss|amp|print|drucken|"
    r"wp-admin|wp-login\.php|wp-json|xmlrpc\.php)(/|\.|$)", re.I)
SESSION_IN_PATH = re.compile(r";(?:jsessionid|sid|phpsessid)=[^/?#]*", re.I)
DROPPED_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|pk_\w+|mtm_\w+|wt_mc|"
    r"sid|phpsessid|jsessionid|sessionid|session_id|osCsid|"
    r"print|druck|drucken|druckansicht|ansicht|contrast|kontrast|highcontrast|no_cache|type|"
    r"l|la|lang|language|sprache|cookie\w*|referer|share)$", re.I)
# TYPO3's ``type`` is a page type: 98/99 are print views, 0 the page; others (feeds) stay.
VARIANT_VALUES = {"type": {"0", "98", "99", "123"}}
PAGE_PARAM = re.compile(
    r"[?&]gtp=[^&#]*?(?:%253D|%3D|=)(\d+)|"  # GSB: gtp=12345_list%253D2
    r"[?&](?:page|seite|p|pg|pn|start|offset|skip|blatt|browse|"
    r"tx_news_pi1(?:%5B|\[)(?:@widget_0(?:%5D|\])(?:%5B|\[))?currentPage(?:%5D|\]))=(\d+)", re.I)
PAGE_PATH = re.compile(r"/(?:page|seite)/\d+/?$", re.I)
PRESS_SEGMENT = re.compile(
    r"^(presse\w*|pressemitteilung\w*|pressemeldung\w*|presseinformation\w*|medien\w*|news|"
    r"nachrichten|aktuelles|aktuelle-meldungen|meldungen|neuigkeiten|mitteilungen|artikel|"
    r"pressedienst|pressearchiv|archiv|newsroom|mitteilung|meldung)$", re.I)
URL_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}[/_-](?:0?[1-9]|1[0-2])(?:[/_-]|$)")
YEAR_SEGMENT = re.compile(r"^(?:19|20)\d{2}$")


def netloc(url: str) -> str:
    """``example.de`` or ``127.0.0.1:8081``: the site part of a URL, lower case, no ``www.``."""
    return urlparse(url).netloc.rsplit("@", 1)[-1].lower().removeprefix("www.")


def site_key(host: str) -> str:
    return host.lower().removeprefix("www.")


def on_site(url: str, allowed: tuple[str, ...] | list[str] | str) -> bool:
    """An http(s) URL on one of the source's sites (``www.`` or not, same port)."""
    if isinstance(allowed, str):
        allowed = (netloc(allowed),)
    if urlparse(url).scheme not in ("http", "https"):
        return False
    return netloc(url) in {site_key(h) for h in allowed}


def same_site(url: str, base: str) -> bool:
    return on_site(url, (netloc(base),))


def is_root(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.path in ("", "/", "/index.html", "/index.php", "/startseite") and not parsed.query


WORDPRESS_POST = re.compile(r"^/?(?:index\.php)?$")


def is_pager_url(url: str) -> bool:
    """A listing page number in the query or path; WordPress's ``/?p=123`` is a post, not a page."""
    parsed = urlparse(url)
    if PAGE_PATH.search(parsed.path):
        return True
    match = PAGE_PARAM.search(url)
    if not match:
        return False
    alone = WORDPRESS_POST.match(parsed.path) and parsed.query.lower().startswith("p=") and "&" not in parsed.query
    return not alone


def canonical_url(url: str) -> str:
    """The URL without session ids, tracking parameters, print/contrast/language variants or
    fragment; the other parameters keep their order and spelling (the URL a reader would see)."""
    parsed = urlsplit(url.strip())
    path = SESSION_IN_PATH.sub("", parsed.path) or "/"
    kept = []
    for pair in parsed.query.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        bare = unquote(key).lower()
        if DROPPED_PARAMS.match(bare) and (bare not in VARIANT_VALUES or unquote(value) in VARIANT_VALUES[bare]):
            continue
        kept.append(pair)
    return urlunsplit((parsed.scheme.lower(), parsed.netloc.lower(), path, "&".join(kept), ""))


def looks_like_release_url(url: str, start_urls: tuple[str, ...] | list[str]) -> bool:
    """A sitemap URL worth fetching: below a start path, dated, or below a press segment.

    The last segment must be a slug or an id, not a press word or a year itself:
    ``/aktuelles/``, ``/presse/pressemitteilungen/`` and ``/archiv/2016/`` are listings.
    """
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if SKIP_EXT.search(path) or SKIP_PATH.search(path) or is_pager_url(url):
        return False
    if any(url.rstrip("/") == s.rstrip("/") for s in start_urls):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = segments[-1].rsplit(".", 1)[0]
    if PRESS_SEGMENT.match(last) or YEAR_SEGMENT.match(last) or re.fullmatch(r"\d{1,2}", last):
        return False
    for start in start_urls:
        start_path = urlparse(start).path
        start_dir = start_path if start_path.endswith("/") else start_path.rsplit("/", 1)[0] + "/"
        if start_dir != "/" and path.startswith(start_dir) and len(path) > len(start_dir):
            return True
    if URL_DATE.search(path):
        return True
    return any(PRESS_SEGMENT.match(s) for s in segments[:-1])


def url_shape(url: str) -> str:
    """The pattern of a URL: numbers become ``#``, the last path segment ``*``, the query its
    sorted parameter names. Releases of one site share a few shapes
    (``/pressemitteilungen/#/*``, ``/index.php?La&NavID&object``), listings and menus others."""
    parsed = urlsplit(url)
    segments = [re.sub(r"\d+", "#", s) for s in SESSION_IN_PATH.sub("", parsed.path).split("/")]
    if len(segments) > 1 and segments[-1]:
        segments[-1] = "*" + (segments[-1][segments[-1].rfind("."):] if "." in segments[-1] else "")
    names = sorted({pair.partition("=")[0] for pair in parsed.query.split("&") if pair})
    return "/".join(segments) + ("?" + "&".join(names) if names else "")


TENANT_PARAM = re.compile(r"^[a-z]+_id$", re.I)


def tenant(url: str) -> dict[str, str]:
    """``{"ps_id": "1285"}``: the ``<x>_id`` parameters with numeric values that name one press
    office on a **shared press platform** (presse-service.de-style ``meldungen.aspx?ps_id=N``
    hosts hundreds of offices under one host)."""
    pairs = (pair.partition("=") for pair in urlsplit(url).query.split("&") if pair)
    return {k.lower(): v for k, _, v in pairs if TENANT_PARAM.match(k) and v.isdigit()}


def same_tenant(url: str, scopes: list[dict[str, str]]) -> bool:
    """A URL that names no other tenant than one of the start URLs: a link to ``ps_id=1290``
    from the list of ``ps_id=1285`` leads to another press office's releases."""
    mine = tenant(url)
    if not mine or not scopes:
        return True
    return any(all(mine.get(k, v) == v for k, v in scope.items()) for scope in scopes)
