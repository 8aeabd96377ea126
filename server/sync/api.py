"""Sync's routes: push changes, pull what changed (docs/ARCHITECTURE.md, "Sync").
The server orders; clocks are data."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool

from ..deps import Credentials, authenticate, check_token
from ..errors import ApiError, error_responses
from ..http import NO_STORE
from ..state import state
from .records import SETTINGS_ID
from .store import (
    ACCOUNTS,
    MAX_CHANGE_SEQ,
    PULL_PAGE,
    PULL_REMAINING,
    Push,
    Row,
    Usage,
    load_rows,
    pulled_json,
)
from .validate import MAX_CHANGES, validate_all

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=error_responses(401, 422, 503))

MAX_PULL = 1000
# Told when a push has changed the settings record: (connection, account id, its data),
# inside the push's transaction. The app factory hands it the reminders' own function;
# sync knows nothing of reminders.
SettingsListener = Callable[[Connection, str, dict[str, Any]], None]


class PushRequest(BaseModel):
    changes: list[Any] = Field(description=f"At most {MAX_CHANGES} changes; each judged alone")


class PulledRecord(BaseModel):
    id: str
    type: str
    version: int
    deleted: bool
    data: dict[str, Any] | None
    server_updated_at: datetime
    device_id: str | None = Field(description="The device that first sent this record")


class ChangeError(BaseModel):
    code: str
    message: str


class ChangeResult(BaseModel):
    id: str | None
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = None
    server: PulledRecord | None = None
    error: ChangeError | None = None


class PushResponse(BaseModel):
    results: list[ChangeResult]


class PullResponse(BaseModel):
    changes: list[PulledRecord]
    cursor: str
    has_more: bool
    remaining: int = Field(description="Changes after this page's cursor, at the time of the pull")


async def push_body(request: Request, credentials: Credentials) -> list[Any]:
    """The changes of a push, once its token is known to be good, parsed with orjson
    (three times pydantic's speed for a body of plain objects); a body it refuses is
    judged by PushRequest, whose errors say what is wrong in the usual shape.

    The token comes first: for a caller who may not push, no body is read, parsed
    or judged (up to the 1 MiB the body limit lets through).
    """
    await run_in_threadpool(check_token, state(request).engine, credentials)
    body = await request.body()
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("changes"), list):
        return parsed["changes"]  # type: ignore[no-any-return]
    try:
        return PushRequest.model_validate_json(body).changes
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


PUSH_BODY = {"content": {"application/json": {"schema": PushRequest.model_json_schema()}}}


@router.post(
    "/push",
    response_model=PushResponse,
    summary="Send changes; one result per change, in order",
    responses=error_responses(413),
    openapi_extra={"requestBody": {**PUSH_BODY, "required": True}},
)
def push(
    changes: Annotated[list[Any], Depends(push_body)], credentials: Credentials, request: Request
) -> Response:
    """Apply each change on its own and answer only once all of them are committed.

    Authentication, the work and the commit share one transaction and one trip
    to a worker thread: a push is the app's busiest write.
    """
    too_many = len(changes) > MAX_CHANGES
    # Checked before the transaction, so the write lock is held only for the writes.
    checked = [] if too_many else validate_all(changes)
    engine = state(request).engine
    with engine.begin() as connection:  # commits before the answer is written
        device = authenticate(connection, credentials)
        if too_many:
            raise ApiError(
                413,
                "too_many_changes",
                f"A push may carry at most {MAX_CHANGES} changes; send the rest after.",
            )
        # The account row, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
        # already holds the write lock): change numbers are handed out in commit order.
        account = connection.execute(
            select(ACCOUNTS.c.change_counter, ACCOUNTS.c.record_count, ACCOUNTS.c.record_bytes)
            .where(ACCOUNTS.c.id == device.account_id)
            .with_for_update()
        ).one()
        settings = state(request).settings
        usage = Usage(
            account.record_count,
            account.record_bytes,
            settings.max_account_records,
            settings.max_account_bytes,
        )
        ids = [item[0].id for item in checked if not isinstance(item, dict)]
        loaded = load_rows(connection, device.account_id, ids)
        work = Push(device.account_id, device.id, account.change_counter, loaded, usage)
        results = [item if isinstance(item, dict) else work.apply(*item) for item in checked]
        changed = {r["id"] for r in results if r["status"] == "applied"}
        if changed:
            work.save(connection, changed)
        preferences = work.rows.get(SETTINGS_ID)
        if SETTINGS_ID in changed and preferences is not None and preferences.data is not None:
            data = json.loads(preferences.data)
            for listener in state(request).settings_listeners:
                listener(connection, device.account_id, data)
    return Response(
        orjson.dumps({"results": results}), media_type="application/json", headers=NO_STORE
    )


@router.get("/pull", response_model=PullResponse, summary="Everything changed after a cursor")
def pull(
    credentials: Credentials,
    request: Request,
    cursor: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,18}$", description="From the last pull; opaque")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> Response:
    """Send the account's records changed after `cursor`, oldest change first."""
    # The pattern above has checked it. Change numbers are 32-bit integers (more
    # than an account will ever use): a cursor past them has nothing after it.
    after = min(int(cursor), MAX_CHANGE_SEQ) if cursor else 0
    engine = state(request).engine
    with engine.begin() as connection:
        device = authenticate(connection, credentials)
        rows = connection.execute(
            PULL_PAGE, {"account": device.account_id, "after": after, "limit": limit + 1}
        ).all()
        page = [Row(*r) for r in rows[:limit]]
        next_cursor = page[-1].change_seq if page else after
        remaining = (
            connection.execute(
                PULL_REMAINING, {"account": device.account_id, "after": next_cursor}
            ).scalar_one()
            if len(rows) > limit
            else 0
        )
    # The stored data is canonical JSON already: the answer is assembled around
    # it, never decoded and encoded again.
    changes = ",".join(pulled_json(row) for row in page)
    more = "true" if len(rows) > limit else "false"
    return Response(
        f'{{"changes":[{changes}],"cursor":"{next_cursor}","has_more":{more},'
        f'"remaining":{remaining}}}',
        media_type="application/json",
        headers=NO_STORE,
    )
