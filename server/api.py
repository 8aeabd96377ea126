"""The JSON API under /api/v1: content and configuration."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from .content import Exercise, Routine
from .errors import ApiError
from .served import Encoded, ServedContent

router = APIRouter(prefix="/api/v1", tags=["content"])


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class Limits(BaseModel):
    """The limits of the sync API, so that clients need not hard-code them."""

    max_body_bytes: int = 1024 * 1024
    max_changes_per_push: int = 200
    max_record_bytes: int = 64 * 1024
    max_pull_limit: int = 1000
    redemptions_per_minute: int = 10
    pairing_code_ttl_seconds: int = 600


class Config(BaseModel):
    content_version: str
    limits: Limits


def served_content(request: Request) -> ServedContent:
    content: ServedContent = request.app.state.content
    return content


ContentDep = Annotated[ServedContent, Depends(served_content)]
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such exercise"}}


def send_json(request: Request, encoded: Encoded, cache: str = "no-cache") -> Response:
    """Answer pre-encoded JSON: 304 on a matching ETag, gzip when the client takes it."""
    headers = {"ETag": encoded.etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    if encoded.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(encoded.gzipped, media_type="application/json", headers=headers)
    return Response(encoded.body, media_type="application/json", headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


@router.get("/routine", response_model=Routine, summary="The routine with its exercises inline")
def get_routine(request: Request, content: ContentDep) -> Response:
    """Send the whole routine; its ETag is the content version."""
    return send_json(request, content.routine_json)


@router.get(
    "/exercises/{exercise_id}", response_model=Exercise, responses=NOT_FOUND, summary="One exercise"
)
def get_exercise(exercise_id: str, request: Request, content: ContentDep) -> Response:
    """Send one exercise by id."""
    encoded = content.exercises_json.get(exercise_id)
    if encoded is None:
        known = ", ".join(content.exercises_json)
        raise ApiError(404, "unknown_exercise", f"There is no exercise '{exercise_id}'. Known: {known}.")
    return send_json(request, encoded)


@router.get("/config", response_model=Config, summary="Limits and the content version")
def get_config(request: Request, content: ContentDep) -> Config:
    """Tell clients the limits they must keep to."""
    settings = request.app.state.settings
    return Config(
        content_version=content.version,
        limits=Limits(max_body_bytes=settings.max_body_bytes),
    )
