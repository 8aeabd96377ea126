"""Security headers on every answer, and the request body limit."""

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import ValidationError

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
        ("GET", "/static/icons/icon.svg"),
        ("GET", "/healthz"),
        ("GET", "/nowhere"),
        ("GET", "/docs"),
    ],
)
def test_every_answer_carries_the_security_headers(client: TestClient, method: str, path: str):
    response = client.request(method, path)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (path, name)


@pytest.mark.parametrize(
    "path", ["/static/css/app.css", "/static/js/main.js", "/static/icons/apple-touch-icon.png"]
)
def test_a_script_or_style_sheet_carries_only_the_headers_that_apply_to_it(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cross-origin-resource-policy"] == "same-origin"
    # These govern documents; a subresource never is one.
    for name in ("content-security-policy", "x-frame-options", "permissions-policy"):
        assert name not in response.headers, (path, name)


def test_the_worker_and_an_svg_keep_the_document_headers(client: TestClient) -> None:
    for path in ("/sw.js", "/static/img/exercises/knee-rolls.svg"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == EXPECTED["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


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


# Redirects name a path of ours, never the Host header (issue 21).


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/workout/", "/workout"),
        ("/workout/?from=home", "/workout?from=home"),
        ("/es/workout/", "/es/workout"),
        ("/de/exercises/knee-rolls/", "/de/exercises/knee-rolls"),
        ("/api/v1/routine/", "/api/v1/routine"),
        ("/es", "/es/"),
    ],
)
def test_a_redirect_stays_on_our_origin_whatever_the_host_header(
    client: TestClient, path: str, location: str
) -> None:
    hostile = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    response = client.get(path, headers=hostile, follow_redirects=False)
    assert response.status_code in (307, 308), response.text
    assert response.headers["location"] == location
    # Followed on the real origin, it lands where it should.
    assert client.get(path).status_code == 200


def test_a_path_that_is_no_page_with_or_without_a_slash_is_404(client: TestClient) -> None:
    response = client.get("/nowhere/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers


def test_a_slash_redirect_never_starts_with_two_slashes() -> None:
    # No route of ours matches "//host/…"; a catch-all route would, and a
    # Location of "//evil.example" would be another origin to a browser.
    from starlette.routing import Route, Router

    from server.slashes import other_slash

    router = Router([Route("/{rest:path}", lambda request: None)])
    scope = {"type": "http", "method": "GET", "path": "//evil.example/", "query_string": b""}
    assert other_slash(router, scope) == "/evil.example"


HSTS = "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize(
    ("public_url", "hsts"),
    [("", None), ("http://127.0.0.1:8000", None), ("https://spine.example.org/", HSTS)],
)
def test_hsts_is_sent_when_the_public_origin_is_https(
    tmp_path, public_url: str, hsts: str | None
) -> None:
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        reminders_every_seconds=0,
        public_url=public_url,
    )
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/api/v1/routine", "/static/css/app.css", "/nowhere", "/workout/"):
            response = client.get(path, follow_redirects=False)
            assert response.headers.get("strict-transport-security") == hsts, path


@pytest.mark.parametrize(
    "value",
    [
        "spine.example.org",
        "https://spine.example.org/app",
        "ftp://spine.example.org",
        "https://user@spine.example.org",
        "https://spine.example.org?x=1",
        "https://",
    ],
)
def test_public_url_must_be_an_origin(value: str) -> None:
    with pytest.raises(ValidationError, match="public_url"):
        Settings(public_url=value)


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://spine.example.org/", "https://spine.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_public_url_takes_an_origin_as_people_write_it(value: str, origin: str) -> None:
    assert Settings(public_url=value).public_url == origin
