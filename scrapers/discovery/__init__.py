"""Discovery: every way a site publishes its list of press releases, one module per channel.

- ``feeds`` — RSS/Atom the pages announce or the usual paths serve (newest items only);
- ``sitemaps`` — robots.txt, indexes, yearly / paged / news sitemaps (often the whole archive);
- ``listings`` — the press list's repeated dated items, and telling a list from an article;
- ``pagination`` — next pages and numbered pagers of a list;
- ``archives`` — year and month archive pages that hold what the list no longer shows;
- ``hop`` — from a home page without news to the press section;
- ``tags`` — topic and tag pages, read as lists (never releases);
- ``urls`` — which site a link belongs to and the one URL a release goes by;
- ``candidates`` — what every channel hands the spider.

The spider (``scrapers.spiders.source``) walks all channels of a new source and takes the
union: no single channel is trusted to be complete (the same split as trafilatura's feeds,
sitemaps and spider modules).
"""

from scrapers.discovery.candidates import Candidate

__all__ = ["Candidate"]
