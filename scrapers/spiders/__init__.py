"""Spiders: one generic spider, bound to each registry source by ``scrapers.loader``."""
