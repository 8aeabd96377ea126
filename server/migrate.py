"""Bring the database schema up to date: at start-up, and by `make migrate`."""

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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
