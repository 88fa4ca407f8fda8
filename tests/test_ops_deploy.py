"""The Dockerfile and compose.yaml, checked without Docker (not available in CI): compose.yaml
parses, has the scheduler, serve and PostgreSQL, and every ki-monitor command line in it is
one the CLI accepts; the Dockerfile follows the rules hadolint would enforce for it."""

from __future__ import annotations

import re
import shlex
import tomllib

import click
import pytest
import yaml
from helpers_crawl import ROOT
from sqlalchemy.engine import make_url

from monitor.cli import main


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text("utf-8"))
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def accepts(argv: list[str]) -> None:
    """Parse a ki-monitor command line as the CLI would, without running it."""
    cmd: click.Command = main
    args = list(argv)
    while isinstance(cmd, click.Group):
        name = args.pop(0)
        assert name in cmd.commands, f"unknown command {name!r} in {argv}"
        cmd = cmd.commands[name]
    cmd.make_context(cmd.name, [re.sub(r"\$\{[^}]*:-([^}]*)\}", r"\1", a) for a in args])


def test_compose_runs_the_scheduler_and_serve_against_its_postgresql():
    doc = compose()
    services = doc["services"]
    assert set(services) == {"db", "scheduler", "serve"}
    db = services["db"]
    assert db["image"].startswith("postgres:") and "latest" not in db["image"]
    env = db["environment"]
    for name, command in (("scheduler", "schedule"), ("serve", "serve")):
        service = services[name]
        assert service["build"] == "."
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        url = make_url(service["environment"]["KI_MONITOR_DB"])
        assert (url.drivername, url.host, url.port) == ("postgresql+psycopg", "db", 5432)
        assert (url.username, url.password, url.database) == \
            (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"])
        assert service["command"][0] == command
        accepts(service["command"])
        volumes = {v.split(":")[0] for v in service["volumes"]}
        assert volumes <= set(doc["volumes"])
    # Both see the same feeds folder: the scheduler writes what serve publishes.
    feeds = {services[n]["command"][services[n]["command"].index("--feeds-dir") + 1] for n in ("scheduler", "serve")}
    assert len(feeds) == 1
    serve = services["serve"]["command"]
    assert serve[serve.index("--host") + 1] == "0.0.0.0"
    assert any(p.endswith(f":{serve[serve.index('--port') + 1]}") for p in services["serve"]["ports"])
    assert "healthcheck" in db


def test_compose_command_lines_are_checked_for_real():
    with pytest.raises(click.UsageError):
        accepts(["serve", "--no-such-option"])


def test_dockerfile_builds_a_non_root_image_of_the_cli_with_postgresql():
    steps = dockerfile()
    kinds = [k for k, _ in steps]
    assert kinds[0] == "FROM"
    base = steps[0][1]
    assert re.fullmatch(r"python:3\.1[1-9][\w.-]*", base), base  # pinned, never :latest
    for kind, args in steps:
        if kind == "COPY":
            *sources, _dest = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
        if kind == "RUN" and "apt-get install" in args:
            assert "--no-install-recommends" in args and "rm -rf /var/lib/apt/lists" in args
        if kind == "RUN" and "pip install" in args:
            assert "[postgres]" in args  # the psycopg driver compose.yaml's URL needs
    users = [args for kind, args in steps if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert kinds.index("USER") > max(i for i, k in enumerate(kinds) if k == "RUN")
    entry = next(args for kind, args in steps if kind == "ENTRYPOINT")
    assert yaml.safe_load(entry) == ["ki-monitor"]
    accepts(yaml.safe_load(next(args for kind, args in steps if kind == "CMD")))
    assert "8470" in next(args for kind, args in steps if kind == "EXPOSE")
    health = next(args for kind, args in steps if kind == "HEALTHCHECK")
    assert "/healthz" in health


def test_the_image_installs_what_the_package_needs():
    """Every top-level package that pyproject.toml ships is copied into the image."""
    copied = {shlex.split(args)[0].rstrip("/") for kind, args in dockerfile() if kind == "COPY"}

    include = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in include} <= copied
