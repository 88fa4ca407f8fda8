"""Lets ``scrapyd-deploy`` build its egg (it runs ``setup.py bdist_egg``); everything else is
declared in pyproject.toml.

The egg Scrapyd receives carries the project's metadata and the ``scrapy`` settings entry
point (``scrapers.settings``), not the code: Scrapyd imports an egg from its zip file, where
the source registry and the Alembic migrations are no files. Every Scrapyd node therefore has
ki-monitor installed (``pip install``, or the Docker image) and runs the code from there.
"""

import sys

from setuptools import setup
from setuptools.command.build_py import build_py


class MetadataOnly(build_py):
    """For the Scrapyd egg: no modules, the installed ki-monitor provides them."""

    def run(self) -> None:
        pass


setup(cmdclass={"build_py": MetadataOnly} if "bdist_egg" in sys.argv else {})
