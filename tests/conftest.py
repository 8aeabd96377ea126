"""Fixtures: settings with a fresh database per test, the app, and a client."""

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, make_url
from sqlalchemy.pool import NullPool

from server.app import create_app
from server.settings import ROOT, Settings

# CI replays the same examples every run, so a landing never hangs on a new
# random draw; on a developer's machine every run explores fresh ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
# `make test-fast`: a few examples each, for the loop while working.
hypothesis_settings.register_profile("fast", max_examples=10, derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
elif os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


# PostgreSQL for the tests that touch the database: a server URL whose user may
# create databases (CI starts a throwaway cluster and sets it). Without it those
# tests run on SQLite only, and their PostgreSQL runs are skipped, said once.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
NO_POSTGRES = "PostgreSQL tests not run: set TEST_POSTGRES_URL (CI does)"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not POSTGRES_URL:
        raise pytest.UsageError("CI must run the PostgreSQL tests: TEST_POSTGRES_URL is not set.")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    postgres = [r for r in skipped if NO_POSTGRES in str(r.longrepr)]
    if postgres:
        terminalreporter.write_line(
            f"PostgreSQL: {len(postgres)} tests not run (set TEST_POSTGRES_URL to run them).",
            yellow=True,
        )
    for report in skipped:
        if report not in postgres:
            terminalreporter.write_line(f"SKIPPED {report.nodeid}: {report.longrepr}", yellow=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_databases") is not None
        kinds = ["sqlite", "postgresql"] if both else ["sqlite"]
        metafunc.parametrize("database", kinds, indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with fresh_postgres_database() as url:
        yield url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create a database on the test server; drop it (and its connections) after."""
    name = f"spine_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def settings(database: str) -> Settings:
    return Settings(environment="test", database_url=database)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Pin the one error shape: status, code, and a message for a person."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert len(error["message"]) > 10
    assert set(error) <= {"code", "message", "fields"}
    return dict(error)
