"""Fixtures: settings with a fresh database per test, the app, and a client."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from server.app import create_app
from server.settings import ROOT, Settings

# CI replays the same examples every run, so a landing never hangs on a new
# random draw; on a developer's machine every run explores fresh ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'test.db'}")


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
