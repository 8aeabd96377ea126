"""Running the server for real: settings from the environment, the database created."""

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from server.settings import Settings
from tests.live import live_server


def test_python_m_server_serves_on_port_and_creates_the_database(tmp_path: Path) -> None:
    database = tmp_path / "nested" / "spine.db"
    with live_server(database) as base:
        assert httpx.get(f"{base}/readyz").json() == {"status": "ok"}
        page = httpx.get(f"{base}/")
        assert page.status_code == 200
        assert "Start workout" in page.text
        assert httpx.get(f"{base}/api/v1/routine").json()["id"] == "spine-five"
    assert database.is_file(), "the SQLite file is created on first run"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db/spine")
    settings = Settings()
    assert (settings.host, settings.port, settings.database_url) == (
        "0.0.0.0",
        9123,
        "postgresql+psycopg://db/spine",
    )


def test_default_database_is_a_sqlite_file_under_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("/data/spine.db")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_unsafe_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="in-memory"):
        Settings(environment="production", database_url="sqlite://:memory:")
    with pytest.raises(ValidationError, match="port"):
        Settings(port=70000)
