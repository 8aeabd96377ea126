"""Security headers on every answer, and the request body limit."""

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.conftest import assert_error

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/exercises/knee-rolls"),
        ("GET", "/api/v1/routine"),
        ("GET", "/api/v1/exercises/nope"),
        ("POST", "/api/v1/routine"),
        ("GET", "/static/css/app.css"),
        ("GET", "/healthz"),
        ("GET", "/nowhere"),
        ("GET", "/docs"),
    ],
)
def test_every_answer_carries_the_security_headers(client: TestClient, method: str, path: str):
    response = client.request(method, path)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (path, name)


@pytest.fixture
def echo_app(tmp_path) -> FastAPI:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", max_body_bytes=2048))

    @app.post("/api/v1/echo")
    async def echo(request: Request) -> dict:
        return {"size": len(await request.body())}

    return app


def test_body_within_the_limit_is_accepted(echo_app: FastAPI) -> None:
    with TestClient(echo_app) as client:
        assert client.post("/api/v1/echo", content=b"x" * 2048).json() == {"size": 2048}


def test_declared_body_over_the_limit_is_413(echo_app: FastAPI) -> None:
    with TestClient(echo_app) as client:
        response = client.post("/api/v1/echo", content=b"x" * 2049)
        error = assert_error(response, 413, "payload_too_large")
        assert "2048 bytes" in error["message"]
        assert response.headers["content-security-policy"] == EXPECTED["content-security-policy"]


def test_chunked_body_over_the_limit_is_413(echo_app: FastAPI) -> None:
    def chunks():
        for _ in range(10):
            yield b"y" * 512

    with TestClient(echo_app) as client:
        # A generator body goes out with Transfer-Encoding: chunked and no length.
        response = client.post("/api/v1/echo", content=chunks())
        assert_error(response, 413, "payload_too_large")


def test_chunked_body_over_the_limit_is_413_when_parsed_as_json(tmp_path) -> None:
    from pydantic import BaseModel

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", max_body_bytes=2048))

    class Payload(BaseModel):
        text: str

    @app.post("/api/v1/json")
    def take(body: Payload) -> dict:
        return {"length": len(body.text)}

    def chunks():
        yield b'{"text": "'
        for _ in range(10):
            yield b"z" * 512
        yield b'"}'

    with TestClient(app) as client:
        assert_error(
            client.post(
                "/api/v1/json", content=chunks(), headers={"content-type": "application/json"}
            ),
            413,
            "payload_too_large",
        )


def test_non_numeric_content_length_is_400(echo_app: FastAPI) -> None:
    with TestClient(echo_app) as client:
        response = client.post("/api/v1/echo", content=b"x", headers={"content-length": "ten"})
        assert_error(response, 400, "bad_request")
