"""Every hop stays on the source's own site, and no request reaches a private address the
source is not itself configured on (issue 12, point 1)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from faultweb import meta_refresh, redirect, start_fault_web
from faultweb.web import RELEASE_DOCS, fault_site
from helpers_crawl import FAST_CRAWL
from sqlalchemy import select

from monitor.runner import RunOptions, run_once
from scrapers.middlewares import forbidden_address, same_site
from storage.db import open_db
from storage.models import Fetch, Release


def _run(tmp_path: Path, registry: str):
    (tmp_path / "sources.toml").write_text(registry, "utf-8")
    return run_once(RunOptions(db=str(tmp_path / "ki.db"), sources=str(tmp_path / "sources.toml"),
                               feeds_dir=tmp_path / "feeds", settings=dict(FAST_CRAWL)))


REDIRECTS = (301, 302, 303, 307, 308)


def test_redirects_to_another_port_on_the_same_address_are_refused_and_counted(tmp_path):
    watched = fault_site("watched", docs=RELEASE_DOCS[:len(REDIRECTS) + 1])
    intranet = fault_site("intranet")
    with start_fault_web([watched, intranet]) as web:
        for status, entry in zip(REDIRECTS, watched.entries, strict=False):
            web.fault("watched", watched.family.article_path(entry), redirect(f"{intranet.base_url}/admin/{status}", status))
        summary = _run(tmp_path, web.registry("watched"))
    assert intranet.hits == []  # not the targets, not even the robots.txt
    (rs,) = summary.sources
    assert rs.errors == len(REDIRECTS), rs.error_text
    assert rs.status == "ok"  # the one good release arrived
    with open_db(str(tmp_path / "ki.db"))() as session:
        finals = set(session.scalars(select(Fetch.final_url)))
        stored = set(session.scalars(select(Release.url)))
    assert not any(url.startswith(intranet.base_url) for url in finals)
    assert stored == {watched.article_url(watched.entries[-1])}


def test_a_meta_refresh_off_the_site_is_refused(tmp_path):
    watched, intranet = fault_site("watched"), fault_site("intranet")
    with start_fault_web([watched, intranet]) as web:
        bad = watched.entries[0]
        web.fault("watched", watched.family.article_path(bad), meta_refresh(intranet.base_url + "/admin"))
        summary = _run(tmp_path, web.registry("watched"))
    assert intranet.hits == []
    assert summary.sources[0].errors >= 1


def test_a_source_on_localhost_may_not_hop_to_127_0_0_1(tmp_path):
    """Same machine, another name: the host is what counts, not where it happens to point."""
    watched = fault_site("watched")
    with start_fault_web([watched]) as web:
        port = watched.base_url.rsplit(":", 1)[1]
        bad = watched.entries[0]
        web.fault("watched", watched.family.article_path(bad),
                  redirect(f"{watched.base_url}{watched.family.article_path(watched.entries[1])}"))
        registry = web.registry().replace(f"127.0.0.1:{port}", f"localhost:{port}")
        summary = _run(tmp_path, registry)
    (rs,) = summary.sources
    assert rs.errors == 1
    assert rs.status == "ok"  # the other releases arrived
    assert len([h for h in watched.hits if h[1] == 200]) >= 3


def _infos(*addresses: str) -> list:
    return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 80))
            for a in addresses]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "fd00::1"])
def test_a_public_name_resolving_to_a_private_address_is_forbidden(address):
    assert forbidden_address(_infos("93.184.216.34", address), private_allowed=False) == address


def test_public_addresses_pass_and_private_ones_pass_where_the_source_lives_on_one():
    assert forbidden_address(_infos("93.184.216.34", "2606:2800:220:1::1"), private_allowed=False) is None
    assert forbidden_address(_infos("127.0.0.1"), private_allowed=True) is None


def test_same_site_is_host_and_port_with_http_upgraded_to_https():
    allowed = {("stadt.de", 80)}
    assert same_site("https://stadt.de/presse/1", allowed)
    assert same_site("http://STADT.de:80/x", allowed)
    assert not same_site("http://stadt.de:8080/x", allowed)
    assert same_site("https://www.stadt.de/x", allowed)  # www. or not: one site, as for the spider
    assert not same_site("http://intern.stadt.de/x", allowed)
    assert not same_site("http://127.0.0.1/x", allowed)
