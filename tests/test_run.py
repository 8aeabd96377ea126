"""Running the server for real: settings from the environment, the database created."""

import re
import socket
import time
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


def read_answer(sock: socket.socket) -> bytes:
    """One whole answer: status line, headers and the body its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    while length and len(body) < int(length[1]) and (chunk := sock.recv(65536)):
        body += chunk
    return head + b"\r\n\r\n" + body


def test_oversized_headers_are_refused_and_idle_connections_closed(tmp_path: Path) -> None:
    from server.__main__ import KEEP_ALIVE_SECONDS, MAX_HEAD_BYTES

    with live_server(tmp_path / "spine.db", REMINDERS_EVERY_SECONDS="0") as base:
        address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))

        def ask(extra: bytes, pieces: int = 1) -> bytes:
            head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"
            size = -(-len(head) // pieces)
            with socket.create_connection(address, timeout=10) as sock:
                try:
                    for start in range(0, len(head), size):
                        sock.sendall(head[start : start + size])
                        if pieces > 1:
                            time.sleep(0.01)
                    return read_answer(sock)
                except (BrokenPipeError, ConnectionResetError):
                    return b"cut off before the whole head was sent"

        def refused(answer: bytes) -> bool:
            return not answer.startswith(b"HTTP/1.1 200")

        assert ask(b"X-Fill: " + b"a" * 8000 + b"\r\n").startswith(b"HTTP/1.1 200")
        # A megabyte of headers was taken whole before (httptools has no limit).
        assert refused(ask(b"X-Fill: " + b"a" * 1024 * 1024 + b"\r\n"))
        assert refused(ask(b"".join(b"X-F%d: %s\r\n" % (n, b"a" * 1000) for n in range(1000))))
        # Arriving in pieces, the head is cut once MAX_HEAD_BYTES wait for their end.
        assert refused(ask(b"X-Fill: " + b"a" * (MAX_HEAD_BYTES + 1000) + b"\r\n", pieces=20))

        with socket.create_connection(address, timeout=KEEP_ALIVE_SECONDS + 5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answer(sock).startswith(b"HTTP/1.1 200")
            idle = time.monotonic()
            assert sock.recv(1) == b"", "the server closes a connection left idle"
            assert time.monotonic() - idle < KEEP_ALIVE_SECONDS + 2
