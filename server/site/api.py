"""The JSON API under /api/v1: content and configuration.

The routine and its exercises are the same bytes for everyone, encoded once at
start-up. They are served by plain Starlette routes: FastAPI's per-request
machinery (dependency solving, response models) costs several times more than
sending a cached body, and these endpoints need none of it. Their OpenAPI
description is added by `document_content_routes` from the same models.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from starlette.routing import Route

from .. import i18n
from ..errors import ApiError, ErrorBody
from ..http import send_json
from ..i18n.routing import language_of
from ..state import state
from ..sync import accounts, validate
from ..sync import api as sync
from ..sync.records import SETTINGS_ID, WEEKDAYS
from .content import Exercise, Routine
from .served import ServedContent

router = APIRouter(prefix="/api/v1", tags=["content"])


class Limits(BaseModel):
    """The limits of the sync API, so that clients need not hard-code them."""

    max_body_bytes: int = 1024 * 1024
    max_changes_per_push: int = validate.MAX_CHANGES
    max_record_bytes: int = validate.MAX_RECORD_BYTES
    max_pull_limit: int = sync.MAX_PULL
    redemptions_per_minute: int = accounts.REDEMPTIONS_PER_MINUTE
    pairing_code_ttl_seconds: int = int(accounts.PAIRING_TTL.total_seconds())
    # Quotas of one account (MAX_ACCOUNT_BYTES, MAX_ACCOUNT_RECORDS, MAX_DEVICES).
    max_account_bytes: int = Field(description="The UTF-8 bytes of all its records' data")
    max_account_records: int = Field(description="Its records, deleted ones (tombstones) too")
    max_devices: int = Field(description="Devices that may sync it at once")


class Config(BaseModel):
    content_version: str
    limits: Limits
    settings_id: str = Field(SETTINGS_ID, description="The id of every account's settings record")
    weekdays: list[str] = Field(
        list(WEEKDAYS), description="The days a reminder may name, in order"
    )


async def served_content(request: Request) -> ServedContent:
    """The content in the language of the page asked for."""
    content: ServedContent = state(request).contents[language_of(request.scope)]
    return content


def content_language(request: Request) -> str:
    """The language the content API answers in: ?lang=, else Accept-Language,
    else English. An unknown language is never an error: it gets English."""
    codes = tuple(state(request).contents)
    asked = request.query_params.get("lang", "").strip().lower()
    if asked:
        return asked if asked in codes else i18n.SOURCE
    return i18n.negotiate(request.headers.get("accept-language", ""), codes) or i18n.SOURCE


ContentDep = Annotated[ServedContent, Depends(served_content)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such exercise"}
}


@router.get("/config", response_model=Config, summary="Limits and the content version")
async def get_config(request: Request, content: ContentDep) -> Config:
    """Tell clients the limits they must keep to."""
    settings = state(request).settings
    return Config(
        content_version=content.version,
        limits=Limits(
            max_body_bytes=settings.max_body_bytes,
            max_account_bytes=settings.max_account_bytes,
            max_account_records=settings.max_account_records,
            max_devices=settings.max_devices,
        ),
    )


async def get_routine(request: Request) -> Response:
    """Send the whole routine in a language; its ETag is that language's content version."""
    language = content_language(request)
    return send_json(request, state(request).contents[language].routine_json, language=language)


async def get_exercise(request: Request) -> Response:
    """Send one exercise by id, in a language."""
    exercise_id = request.path_params["exercise_id"]
    language = content_language(request)
    exercises = state(request).contents[language].exercises_json
    encoded = exercises.get(exercise_id)
    if encoded is None:
        known = ", ".join(exercises)
        raise ApiError(
            404, "unknown_exercise", f"There is no exercise '{exercise_id}'. Known: {known}."
        )
    return send_json(request, encoded, language=language)


content_routes = [
    Route("/api/v1/routine", get_routine, methods=["GET"]),
    Route("/api/v1/exercises/{exercise_id}", get_exercise, methods=["GET"]),
]


def document_content_routes(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the content routes to an OpenAPI document, with their models."""
    _, definitions = models_json_schema(
        [(Routine, "serialization"), (Exercise, "serialization"), (ErrorBody, "serialization")],
        ref_template="#/components/schemas/{model}",
    )
    schema.setdefault("components", {}).setdefault("schemas", {}).update(definitions["$defs"])

    def answer(model: str, description: str) -> dict[str, Any]:
        ref = {"$ref": f"#/components/schemas/{model}"}
        return {"description": description, "content": {"application/json": {"schema": ref}}}

    text = {"type": "string"}
    etag = {
        "ETag": {"description": "The content version in this language", "schema": text},
        "Content-Language": {"description": "The language answered in", "schema": text},
    }
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "en, es or de; without it, Accept-Language decides; unknown gives English",
        "schema": {"type": "string"},
    }
    not_modified = {"description": "Not modified (If-None-Match matched the ETag)"}
    schema["paths"]["/api/v1/routine"] = {
        "get": {
            "tags": ["content"],
            "summary": "The routine with its exercises inline",
            "operationId": "get_routine",
            "parameters": [lang],
            "responses": {
                "200": {**answer("Routine", "The routine"), "headers": etag},
                "304": not_modified,
            },
        }
    }
    schema["paths"]["/api/v1/exercises/{exercise_id}"] = {
        "get": {
            "tags": ["content"],
            "summary": "One exercise",
            "operationId": "get_exercise",
            "parameters": [
                {
                    "name": "exercise_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                lang,
            ],
            "responses": {
                "200": {**answer("Exercise", "The exercise"), "headers": etag},
                "304": not_modified,
                "404": answer("ErrorBody", "No such exercise"),
            },
        }
    }
    return schema
