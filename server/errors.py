"""The one error shape of the API: {"error": {"code", "message"[, "fields"]}}."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

# Every code an answer (or a pushed change's rejection) can carry, and what it means.
# The browser words each for a person (serverMessage in the sync client); a test
# holds the server's code to this list and the browser's words to it.
ERROR_CODES = {
    "bad_request": "the request is malformed",
    "unauthorized": "no valid device token",
    "forbidden": "not allowed",
    "not_found": "no such page or record",
    "method_not_allowed": "the path takes another method",
    "not_acceptable": "no answer in the type asked for",
    "conflict": "the request conflicts with what is stored",
    "payload_too_large": "the body is over the size limit",
    "unsupported_media_type": "the body is not JSON",
    "invalid_request": "a field of the request is invalid (see fields)",
    "too_many_requests": "rate limited; see Retry-After",
    "http_error": "another HTTP error",
    "database_unavailable": "the server cannot reach its database",
    "unknown_exercise": "no exercise has that id",
    "invalid_pairing_code": "the pairing code is wrong, used or expired",
    "invalid_recovery_code": "the recovery code is wrong",
    "unknown_device": "no such device in this account",
    "too_many_devices": "the account has as many devices as it may",
    "too_many_changes": "a push carries more changes than it may",
    "invalid_endpoint": "the push endpoint is not a push service's",
    "no_reminder": "this device has no push reminder",
    "invalid_change": "a change's envelope is invalid",
    "unknown_type": "a record type the server does not know",
    "invalid_settings_id": "the settings record and its id do not match",
    "invalid_data": "a record's data breaks its type's rules",
    "data_too_large": "a record's data is over its size limit",
    "type_mismatch": "the record exists with another type",
    "quota_exceeded": "the account is full",
}

# Codes for the statuses Starlette raises on its own (unknown path, wrong method, ...).
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """Every 4xx and 503 answer: {"error": {"code", "message"}}."""

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "Bad request (see the error code)",
    401: "Missing, wrong or revoked device token",
    404: "Not found (a record of another account looks exactly like this)",
    409: "The account cannot take this now (see the error code)",
    413: "Request body or change list too large",
    422: "The request does not match the schema",
    429: "Too many attempts from this address; see Retry-After",
    503: "The database cannot be reached; see Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an operation can give."""
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS[s]} for s in statuses}


class ApiError(Exception):
    """An error answered to the client in the one error shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(
    code: str, message: str, fields: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build the error payload every 4xx answer carries."""
    error: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    fields: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Answer an error in the one shape."""
    return JSONResponse(error_body(code, message, fields), status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"location": ".".join(str(part) for part in err["loc"]), "message": err["msg"]}
        for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI, html_not_found: Any = None) -> None:
    """Route every error FastAPI or Starlette raises through the one shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> Response:
        # The database is unreachable or locked for too long: nothing the
        # client did wrong, and nothing was written. Retrying later is right.
        return error_response(
            503,
            "database_unavailable",
            "The server cannot reach its database. Try again shortly.",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        first = fields[0] if fields else {"location": "request", "message": "is invalid"}
        message = f"The request is invalid: {first['location']}: {first['message']}."
        return error_response(422, "invalid_request", message, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and html_not_found is not None and wants_html(request):
            response: Response = html_not_found(request)
            return response
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        if exc.status_code == 404:
            message = f"Nothing is found at {request.url.path}."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}."
        else:
            message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
        return error_response(exc.status_code, code, message, headers=exc.headers)


def wants_html(request: Request) -> bool:
    # Browsers navigating to a page ask for text/html; API clients do not.
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")
