"""Scrapy project: fetch and parse press releases from the KI sources."""
