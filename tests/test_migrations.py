"""Alembic: an empty database upgrades to head, and head matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from storage.db import upgrade
from storage.models import Base


def test_empty_database_upgrades_to_head_matching_the_models(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # A model change without its migration shows up here.
    assert diffs == []
    assert {"sources", "fetches", "bodies", "releases", "events", "runs"} <= set(inspect(engine).get_table_names())


def test_downgrade_to_base_and_up_again(tmp_path: Path):
    from alembic import command

    from storage.db import alembic_config

    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    assert "releases" in inspect(create_engine(url)).get_table_names()
