"""Migrations, on SQLite and on PostgreSQL: from an empty database, and from each
earlier revision with data in it, to the head, losing nothing."""

import json
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from server import migrate, models
from server.db import make_engine

pytestmark = pytest.mark.both_databases

REVISIONS = ["0001", "0002", "0003", "0004", "0005"]
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
    with engine.connect() as connection:
        counted = connection.execute(text("SELECT record_count, record_bytes FROM accounts")).one()
    assert tuple(counted) == (1, 7), "what the account stores is counted for the quotas"
    assert tuple(code) == ("code", "acc"), "pending pairing codes survive the upgrade"


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), models.SQLModel.metadata
        )
    assert differences == []


def stored(notes: str, started_at: str = "2026-11-24T07:30:00Z") -> str:
    data = {
        "routine_id": "spine-five",
        "started_at": started_at,
        "ended_at": None,
        "pain_before": 3,
        "pain_after": None,
        "notes": notes,
        "exercises": [],
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_ids_in_capitals_become_one_record_in_lower_case_losing_nothing(engine: Engine) -> None:
    migrate.upgrade(engine, "0004")
    a, b, c, d = (f"{n * 8}-aaaa-4aaa-8aaa-{n * 12}" for n in "abcd")
    rows = [
        # (account, id, version, data, change_seq)
        ("acc", a.upper(), 1, stored("alone, offset", "2026-11-24T08:30:00+01:00"), 1),
        ("acc", b.upper(), 2, stored("b in capitals"), 5),
        ("acc", b, 1, stored("b changed last"), 7),
        ("acc", c.upper(), 1, stored("the same twice"), 8),
        ("acc", c, 1, stored("the same twice"), 3),
        ("acc", d.upper(), 2, None, 9),  # deleted last, in capitals
        ("acc", d, 1, stored("d still live in lower case"), 4),
        ("acc", "e" + a[1:], 1, stored("unreadable time", "1735725600"), 2),
        ("acc", "f" + a[1:], 1, stored("lower-case t", "2025-01-01t10:00:00z"), 6),
        ("other", b.upper(), 1, stored("another account's"), 1),
    ]
    with engine.begin() as connection:
        for account, counter in (("acc", 10), ("other", 1)):
            connection.execute(
                text(
                    "INSERT INTO accounts (id, created_at, change_counter, recovery_hash) "
                    "VALUES (:a, :now, :c, :a)"
                ),
                {"a": account, "now": NOW, "c": counter},
            )
        for account, record_id, version, data, seq in rows:
            connection.execute(
                text(
                    "INSERT INTO records (account_id, id, type, version, deleted, data,"
                    " change_seq, server_updated_at)"
                    " VALUES (:a, :i, 'session', :v, :deleted, :data, :seq, :now)"
                ),
                {
                    "a": account,
                    "i": record_id,
                    "v": version,
                    "deleted": data is None,
                    "data": data,
                    "seq": seq,
                    "now": NOW,
                },
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        after = connection.execute(
            text("SELECT account_id, id, version, data, change_seq FROM records")
        ).all()
        accounts = dict(
            tuple(r) for r in connection.execute(text("SELECT id, change_counter FROM accounts"))
        )
        counts = connection.execute(
            text("SELECT id, record_count, record_bytes FROM accounts ORDER BY id")
        ).all()
    assert all(r.id == r.id.lower() for r in after)
    by_id = {(r.account_id, r.id): r for r in after}
    assert by_id[("acc", a)].data == stored("alone, offset")  # and in UTC
    assert by_id[("acc", a)].change_seq == 1, "a record only renamed need not be pulled again"
    # The one changed last keeps the id, past every device's version and cursor.
    assert (by_id[("acc", b)].data, by_id[("acc", b)].version) == (stored("b changed last"), 3)
    assert by_id[("acc", b)].change_seq > 10
    assert by_id[("acc", c)].data == stored("the same twice")
    assert by_id[("acc", d)].data is None
    assert by_id[("acc", "e" + a[1:])].data == stored("unreadable time", "1735725600")
    assert by_id[("acc", "f" + a[1:])].data == stored("lower-case t", "2025-01-01T10:00:00Z")
    assert by_id[("other", b)].data == stored("another account's")
    # What differed survives under new ids, as new records every device pulls.
    kept_ids = {a, b, c, d, "e" + a[1:], "f" + a[1:]}
    moved = {r.data for r in after if r.account_id == "acc" and r.id not in kept_ids}
    assert moved == {stored("b in capitals"), stored("d still live in lower case")}
    assert len(after) == 9
    assert all(r.change_seq > 10 for r in after if r.data in moved)
    assert accounts["acc"] == max(r.change_seq for r in after if r.account_id == "acc")
    for account, count, size in counts:
        mine = [r for r in after if r.account_id == account]
        assert count == len(mine)
        assert size == sum(len(r.data.encode()) for r in mine if r.data is not None)
