"""Migrations, on SQLite and on PostgreSQL: from an empty database, and from each
earlier revision with data in it, to the head, losing nothing."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from server import migrate, models
from server.db import make_engine

pytestmark = pytest.mark.both_databases

REVISIONS = ["0001", "0002", "0003", "0004"]
NOW = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


@pytest.fixture
def engine(database: str):  # type: ignore[no-untyped-def]
    engine = make_engine(database)
    yield engine
    engine.dispose()


def head(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


def test_an_empty_database_migrates_to_the_head_and_again_is_a_no_op(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert head(engine) == REVISIONS[-1]
    tables = set(inspect(engine).get_table_names())
    assert {"accounts", "devices", "pairing_codes", "records", "rate_hits"} <= tables
    assert {"push_keys", "reminders", "reminders_sent"} <= tables
    migrate.upgrade(engine)
    assert head(engine) == REVISIONS[-1]


@pytest.mark.parametrize("start", REVISIONS[:-1])
def test_each_earlier_revision_migrates_with_its_data(engine: Engine, start: str) -> None:
    migrate.upgrade(engine, start)
    assert head(engine) == start
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, created_at, change_counter, recovery_hash) "
                "VALUES ('acc', :now, 1, 'hash')"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO records (account_id, id, type, version, deleted, data, change_seq, "
                "server_updated_at) VALUES ('acc', 'rec', 'session', 1, :no, :data, 1, :now)"
            ),
            {"now": NOW, "no": False, "data": '{"a":1}'},
        )
        connection.execute(
            text(
                "INSERT INTO pairing_codes (code_hash, account_id, created_at, expires_at) "
                "VALUES ('code', 'acc', :now, :now)"
            ),
            {"now": NOW},
        )
    migrate.upgrade(engine)
    assert head(engine) == REVISIONS[-1]
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, version, data, origin_device_id FROM records")
        ).one()
        code = connection.execute(text("SELECT code_hash, account_id FROM pairing_codes")).one()
    assert tuple(row) == ("rec", 1, '{"a":1}', None)
    assert tuple(code) == ("code", "acc"), "pending pairing codes survive the upgrade"


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), models.SQLModel.metadata
        )
    assert differences == []
