"""Sync: push changes, pull what changed (DESIGN §4). The server orders; clocks are data."""

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
)
from sqlmodel import col, select

from .codes import as_utc, utcnow
from .deps import DeviceDep, SessionDep
from .errors import ApiError, error_responses
from .models import Account, Device, Record
from .records import MODELS, SETTINGS_ID, Strict

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=error_responses(401, 422, 503))

MAX_CHANGES = 200
MAX_RECORD_BYTES = 64 * 1024
MAX_PULL = 1000
MAX_CHANGE_SEQ = 2**31 - 1
RECORD_ID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Change(Strict):
    id: Annotated[str, StringConstraints(pattern=RECORD_ID)]
    type: Annotated[str, StringConstraints(max_length=40)]
    base_version: Annotated[StrictInt, Field(ge=0)]
    deleted: StrictBool
    data: dict[str, Any] | None = None


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


def canonical(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def pulled(record: Record) -> PulledRecord:
    return PulledRecord(
        id=record.id,
        type=record.type,
        version=record.version,
        deleted=record.deleted,
        data=json.loads(record.data) if record.data is not None else None,
        server_updated_at=as_utc(record.server_updated_at),
        device_id=record.origin_device_id,
    )


def rejected(change_id: Any, code: str, message: str) -> ChangeResult:
    safe_id = change_id if isinstance(change_id, str) and len(change_id) <= 100 else None
    return ChangeResult(
        id=safe_id, status="rejected", error=ChangeError(code=code, message=message)
    )


def validate(raw: Any) -> tuple[Change, str | None] | ChangeResult:
    """Check one change; return it with its canonical data, or its rejection."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    try:
        change = Change.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "change"
        return rejected(raw_id, "invalid_change", f"{where}: {first['msg']}")
    model = MODELS.get(change.type)
    if model is None:
        return rejected(change.id, "unknown_type", f"Unknown record type '{change.type}'.")
    if (change.type == "settings") != (change.id == SETTINGS_ID):
        message = (
            f"The settings record has the id {SETTINGS_ID}."
            if change.type == "settings"
            else f"The id {SETTINGS_ID} is kept for the settings record."
        )
        return rejected(change.id, "invalid_settings_id", message)
    if change.deleted:
        return change, None
    if change.data is None:
        return rejected(change.id, "invalid_data", "A change that is not a delete needs data.")
    text = canonical(change.data)
    assert text is not None
    if len(text.encode()) > MAX_RECORD_BYTES:
        return rejected(
            change.id, "data_too_large", f"A record's data may be at most {MAX_RECORD_BYTES} bytes."
        )
    try:
        model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        return rejected(change.id, "invalid_data", f"data.{where}: {first['msg']}")
    return change, text


def apply(
    device: Device, account: Account, change: Change, text: str | None, records: dict[str, Record]
) -> ChangeResult:
    """Apply one valid change inside the push transaction.

    `records` holds this push's records by id, loaded in one query and shared
    by every change of the push, so a second change to the same record sees
    the first.
    """
    record = records.get(change.id)
    if record is not None:
        if record.type != change.type:
            return rejected(
                change.id, "type_mismatch", f"This record is a {record.type}, not a {change.type}."
            )
        if record.deleted == change.deleted and record.data == text:
            return ChangeResult(id=change.id, status="duplicate", version=record.version)
        stale = change.base_version != record.version
        # A delete wins over any edit; an edit never revives a deleted record.
        if not change.deleted and (record.deleted or stale):
            return ChangeResult(
                id=change.id, status="conflict", version=record.version, server=pulled(record)
            )
    account.change_counter += 1
    if record is None:
        record = Record(
            account_id=account.id,
            id=change.id,
            type=change.type,
            version=0,
            change_seq=0,
            origin_device_id=device.id,
        )
        records[change.id] = record
    record.version += 1
    record.deleted = change.deleted
    record.data = text
    record.change_seq = account.change_counter
    record.server_updated_at = utcnow()
    return ChangeResult(id=change.id, status="applied", version=record.version)


NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    "/push",
    response_model=PushResponse,
    summary="Send changes; one result per change, in order",
    responses=error_responses(413),
)
def push(body: PushRequest, device: DeviceDep, session: SessionDep) -> Response:
    """Apply each change on its own and answer only once all of them are committed."""
    if len(body.changes) > MAX_CHANGES:
        raise ApiError(
            413,
            "too_many_changes",
            f"A push may carry at most {MAX_CHANGES} changes; send the rest after.",
        )
    checked = [validate(raw) for raw in body.changes]
    # The account row, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
    # already holds the write lock): change numbers are handed out in commit order.
    account = session.exec(
        select(Account).where(Account.id == device.account_id).with_for_update()
    ).one()
    ids = [item[0].id for item in checked if not isinstance(item, ChangeResult)]
    records = {
        r.id: r
        for r in session.exec(
            select(Record).where(Record.account_id == account.id, col(Record.id).in_(ids))
        )
    }
    results = [
        item if isinstance(item, ChangeResult) else apply(device, account, *item, records)
        for item in checked
    ]
    session.add_all(records.values())
    session.add(account)
    session.commit()
    # Fields that do not apply to a status are left out; the id always stays
    # (null when a change had none), and a tombstone's data: null stays.
    payload = [
        {k: v for k, v in r.model_dump(mode="json").items() if v is not None or k == "id"}
        for r in results
    ]
    return JSONResponse({"results": payload}, headers=NO_STORE)


@router.get("/pull", response_model=PullResponse, summary="Everything changed after a cursor")
def pull(
    device: DeviceDep,
    session: SessionDep,
    response: Response,
    cursor: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,18}$", description="From the last pull; opaque")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> PullResponse:
    """Send the account's records changed after `cursor`, oldest change first."""
    # The pattern above has checked it. Change numbers are 32-bit integers (more
    # than an account will ever use): a cursor past them has nothing after it.
    after = min(int(cursor), MAX_CHANGE_SEQ) if cursor else 0
    rows = session.exec(
        select(Record)
        .where(Record.account_id == device.account_id, Record.change_seq > after)
        .order_by(col(Record.change_seq))
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    response.headers.update(NO_STORE)
    return PullResponse(
        changes=[pulled(r) for r in page],
        cursor=str(page[-1].change_seq if page else after),
        has_more=len(rows) > limit,
    )
