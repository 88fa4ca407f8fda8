"""A big, realistic test web for the press-release crawler: many CMS families, thousands of releases.

``BigWeb(seed=1, scale=1.0).serve()`` starts one HTTP server per simulated site on 127.0.0.1;
the truth (every release a site still publishes, with its canonical URL, aliases, Berlin date
and a marker sentence) says what a perfect crawl finds. See README.md in this package.
"""

from tests.bigweb.truth import ReleaseTruth, SiteTruth, normalized
from tests.bigweb.web import BigWeb, LiveWeb

__all__ = ["BigWeb", "LiveWeb", "ReleaseTruth", "SiteTruth", "normalized"]
