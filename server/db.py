"""The database engine: SQLite tuned for safety by default, PostgreSQL when configured."""

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine


def make_engine(database_url: str) -> Engine:
    """Create the engine; for SQLite, create the file's folder and set safe pragmas."""
    if not database_url.startswith("sqlite"):
        return create_engine(database_url, pool_pre_ping=True)
    memory = database_url in ("sqlite://", "sqlite:///:memory:")
    if not memory:
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        database_url,
        connect_args={"check_same_thread": False, "timeout": 15},
        poolclass=StaticPool if memory else None,
    )
    # pysqlite opens transactions lazily and on its own terms; take control so
    # every transaction starts with BEGIN IMMEDIATE and holds the write lock
    # from the start instead of failing halfway with "database is locked".
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "busy_timeout=15000",
        # A deleted row's bytes are overwritten with zeros, not left in free space.
        "secure_delete=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def checkpoint_wal(engine: Engine) -> bool:
    """After deleting a person's data on SQLite, fold the WAL into the main file and
    empty it, so neither file holds what was deleted; tell whether it worked.

    With secure_delete the main file gets the zeroed pages; the WAL still has the
    old frames until a checkpoint, and keeps its size after an ordinary one, hence
    TRUNCATE. It waits (busy_timeout) for readers of older snapshots; False when
    one held on longer and the WAL may still hold it. Nothing to do on PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        # On the DB-API connection: no BEGIN around it (a checkpoint cannot run in one).
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.close()
    return not busy


def database_answers(engine: Engine) -> bool:
    """Tell whether the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
