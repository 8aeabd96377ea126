"""Bring the database schema up to date: at start-up, and by `make migrate`."""

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# Any fixed number: the PostgreSQL advisory lock that lets one process migrate at a time.
MIGRATION_LOCK = 5_417_001


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied (up to `revision`)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers start at once: one migrates, the others wait and
            # then find nothing left to do (PostgreSQL runs DDL in the transaction).
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class Schema:
    """Migrate once per process, retrying after a failure (the database may come up later)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.ready = False
        self._lock = threading.Lock()

    def ensure(self) -> bool:
        """Bring the schema up to date unless done already; tell whether it is."""
        with self._lock:
            if not self.ready:
                try:
                    upgrade(self.engine)
                    self.ready = True
                except SQLAlchemyError as exc:
                    log.error("Database migrations failed, will retry: %s", exc)
        return self.ready


def main() -> None:
    from .db import make_engine
    from .settings import Settings

    engine = make_engine(Settings().database_url)
    upgrade(engine)
    engine.dispose()
    print("The database is up to date.")


if __name__ == "__main__":
    main()
