"""Listing pages: the repeated, dated items of a press list, never its navigation.

What press lists share across CMSs: repeated items (same markup path) in the page's content
area whose links carry a headline and, usually, a date. Navigation, header, footer and side
boxes are never candidates, so a menu full of KI words cannot turn a page into a release.

The same measure tells a listing from an article after the fetch (``looks_like_listing``): a
page whose text is mostly list items is a list (a tag or topic page, an archive, an overview),
however it was reached; an article keeps its body text outside any list of links, or says it
is an article in its metadata (newspapers: a teaser, a paywall, and a long "most read" box).
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from datetime import date
from urllib.parse import urljoin, urlparse

from parsel import Selector

from scrapers.dates import parse_german_date
from scrapers.discovery.candidates import Candidate, dedupe
from scrapers.discovery.feeds import berlin_date
from scrapers.discovery.pagination import in_pager
from scrapers.discovery.urls import SKIP_EXT, SKIP_PATH, canonical_url, is_pager_url, on_site

BOILERPLATE = ("nav, aside, form, [role=navigation], [role=complementary], [class*=breadcrumb], [id*=cookie], "
               "[class*=cookie], [class*=subnav], [class*=sidebar], [id*=sidebar], [class*=related], "
               "[class*=meistgelesen], [class*=teaser-box], [class*=marginal], [id*=marginal]")
# Page header and footer, but not an article's own (WordPress puts title and date in one).
PAGE_FRAME = "//header[not(ancestor::article)] | //footer[not(ancestor::article)]"
DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d{2}\b|\b\d{1,2}\.\s+[A-ZÄÖÜa-zäöü]{3,}\.?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
ARTICLE_TEXT = 400  # characters outside list items that make a page an article, not a list


def content_root(sel: Selector) -> Selector:
    """The page without its boilerplate regions (a copy; the original stays intact)."""
    root = Selector(text=sel.get())
    # ASP.NET WebForms wrap the whole page in one <form>: only forms without the page's
    # headline or list are boilerplate (search boxes, newsletter sign-ups).
    forms = [f for f in root.css("form") if not f.xpath(".//h1 | .//main | .//table | .//ul[count(li) > 2]")]
    for node in [*root.xpath(PAGE_FRAME), *root.css(BOILERPLATE.replace("form, ", "")), *forms]:
        with contextlib.suppress(Exception):  # already gone with an enclosing region
            node.drop()
    return root


def _items(anchors: list[tuple[Selector, str]]) -> dict[object, list[Selector]]:
    """Group anchors into list items: an item is the largest element around an anchor whose
    links all lead to the same URL (title, date link and "Weiterlesen" of one entry)."""
    urls_below: dict[object, set[str]] = defaultdict(set)
    for anchor, url in anchors:
        node = anchor.root
        while node is not None:
            urls_below[node].add(url)
            node = node.getparent()
    items: dict[object, list[Selector]] = {}
    for anchor, url in anchors:
        node = anchor.root
        while (parent := node.getparent()) is not None and urls_below[parent] == {url} \
                and parent.tag not in ("body", "main", "html"):
            node = parent
        items.setdefault(node, []).append(anchor)
    return items


def _stable_class(node: Selector) -> str:
    # WordPress gives each item ``post-123``: ids must not split one list into many groups.
    return next((c for c in node.attrib.get("class", "").split() if not re.search(r"\d", c)), "")


def _signature(node: Selector) -> str:
    parts = [f"{n.root.tag}.{_stable_class(n)}" for n in node.xpath("ancestor-or-self::*")]
    return "/".join(parts[-4:])


def _primary_anchor(anchors: list[Selector]) -> Selector:
    """The headline link of an item: inside a heading, else the one with the longest text."""
    in_heading = [a for a in anchors if a.xpath("ancestor::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5]")]
    return max(in_heading or anchors, key=lambda a: len(" ".join(a.xpath("string()").get().split())))


def _link_url(anchor: Selector, base: str) -> str:
    return canonical_url(urljoin(base, anchor.attrib["href"].strip()).split("#")[0])


def _groups(root: Selector, base: str, allowed: tuple[str, ...], exclude) -> list[list[tuple[Candidate, bool, int]]]:
    """The link groups of a page's content region (``root``, from ``content_root``)."""
    kept: list[tuple[Selector, str]] = []
    for anchor in root.css("a[href]"):
        href = anchor.attrib["href"].strip()
        if href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        url = _link_url(anchor, base)
        if (SKIP_EXT.search(url) or SKIP_PATH.search(urlparse(url).path) or not on_site(url, allowed)
                or url == canonical_url(base) or url in exclude or is_pager_url(url) or in_pager(anchor)):
            continue
        kept.append((anchor, url))
    groups: dict[str, list[tuple[Candidate, bool, int]]] = defaultdict(list)
    for node, anchors in _items(kept).items():
        item = Selector(root=node)
        anchor = _primary_anchor(anchors)
        title = " ".join(anchor.xpath("string()").get().split()) or None
        text = _text(item)
        dated = bool(item.css("time") or DATE_IN_TEXT.search(text))
        groups[_signature(item)].append((Candidate(_link_url(anchor, base), title, _date_in(item)), dated, len(text)))
    return list(groups.values())


def _chosen(groups) -> list[list[tuple[Candidate, bool, int]]]:
    dated_groups, undated_groups = [], []
    for members in groups:
        dated = sum(1 for _, d, _ in members if d)
        long_titles = sum(1 for c, _, _ in members if c.title and len(c.title) >= 25)
        if dated >= max(1, len(members) / 2):
            dated_groups.append(members)
        elif len(members) >= 3 and long_titles >= len(members) * 0.8:
            undated_groups.append(members)
    # Undated lists of long titles count only on pages without a dated list: otherwise they
    # are teasers, related boxes or a sub-navigation beside the real press list.
    return dated_groups or undated_groups


def release_links(sel: Selector, base: str, allowed: tuple[str, ...], hints: dict[str, str] | None = None,
                  exclude: set[str] | frozenset[str] = frozenset()) -> list[Candidate]:
    """Links on a listing page that lead to press releases, in page order."""
    hints = hints or {}
    if hints.get("items"):
        hinted = [c for it in sel.css(hints["items"]) if (c := _candidate(it, base, hints.get("link", "a")))]
        hinted = [c for c in hinted if on_site(c.url, allowed)]
        if hinted:
            return dedupe(hinted)
    return dedupe([c for members in _chosen(_groups(content_root(sel), base, allowed, exclude)) for c, _, _ in members])


def looks_like_listing(sel: Selector, base: str, allowed: tuple[str, ...]) -> bool:
    """A page that is a list of releases rather than one: at least three items of a chosen
    list, and little text outside them (a tag page, an archive, a topic overview)."""
    if declares_article(sel):
        return False
    root = content_root(sel)  # one copy of the page for both measures
    chosen = _chosen(_groups(root, base, allowed, frozenset()))
    members = [m for g in chosen for m in g]
    if len(members) < 3:
        return False
    listed = sum(length for _, _, length in members)
    total = len(_text(root))
    return total - listed < ARTICLE_TEXT


ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:News|Reportage|Analysis)?Article"|"@type"\s*:\s*"(?:BlogPosting|PressRelease)"')


def declares_article(sel: Selector) -> bool:
    """Pages that say they are one article: ``og:type=article``, ``article:published_time``,
    a JSON-LD (News)Article. Newspapers show a teaser and a long "most read" box on them."""
    if sel.css('meta[property="og:type"][content="article"], meta[property="article:published_time"]'):
        return True
    return any(ARTICLE_TYPE.search(s) for s in sel.css('script[type="application/ld+json"]::text').getall())


def _text(node: Selector) -> str:
    # Text nodes joined with spaces: "Integration</a><span>12.12.2023" must not glue together.
    return " ".join(" ".join(node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()).split())


def _date_in(item: Selector) -> date | None:
    dt = item.css("time::attr(datetime)").get()
    if dt and re.match(r"\d{4}-\d{2}-\d{2}", dt) and (found := berlin_date(dt)):
        return found
    m = DATE_IN_TEXT.search(_text(item))
    return parse_german_date(m.group(0)) if m else None


def _candidate(item: Selector, base: str, link_css: str) -> Candidate | None:
    # Elements first, then their href: "h3 a, .header a::attr(href)" would apply ::attr to the
    # last alternative only.
    links = [a for a in item.css(link_css) if a.attrib.get("href")] or item.css("a[href]")
    if not links:
        return None
    title = " ".join(links[0].xpath("string()").get().split()) or None
    return Candidate(_link_url(links[0], base), title, _date_in(item))
