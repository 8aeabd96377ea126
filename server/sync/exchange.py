"""Sync: push changes, pull what changed (DESIGN §4). The server orders; clocks are data."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy import text as sql
from starlette.concurrency import run_in_threadpool

from ..errors import ApiError, error_responses
from ..models import Account, Record
from ..reminders.api import follow_schedule
from .codes import as_utc, digest, utcnow
from .deps import Credentials, authenticate, unauthorized
from .records import MODELS, SETTINGS_ID, Strict, stored_form

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=error_responses(401, 422, 503))

MAX_CHANGES = 200
MAX_RECORD_BYTES = 64 * 1024
MAX_PULL = 1000
MAX_CHANGE_SEQ = 2**31 - 1
RECORDS = Record.__table__  # type: ignore[attr-defined]
ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
# The columns an edit or a delete changes.
UPDATED_COLUMNS = ("version", "deleted", "data", "change_seq", "server_updated_at")
# The columns a push or pull reads, in the order of Row's fields.
ROW_COLUMNS = (
    "id",
    "type",
    "version",
    "deleted",
    "data",
    "change_seq",
    "server_updated_at",
    "origin_device_id",
)
# A new record: the row and its account.
INSERTED_COLUMNS = ("account_id", *ROW_COLUMNS)
# A page of pull as plain SQL (ROW_COLUMNS): values come back as the driver gives
# them, with no type processing (SQLite's timestamps as stored text; see timestamp()).
PULL_PAGE = sql(
    "SELECT id, type, version, deleted, data, change_seq, server_updated_at, origin_device_id"
    " FROM records WHERE account_id = :account AND change_seq > :after"
    " ORDER BY change_seq LIMIT :limit"
)
# How many changes a pull has still to send after a page: the progress a new
# device shows while it receives an account's whole history.
PULL_REMAINING = sql(
    "SELECT count(*) FROM records WHERE account_id = :account AND change_seq > :after"
)
RECORD_ID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Change(Strict):
    # In lower case: the same UUID written in capitals is the same record.
    id: Annotated[str, StringConstraints(pattern=RECORD_ID, to_lower=True)]
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
    remaining: int = Field(description="Changes after this page's cursor, at the time of the pull")


def canonical(data: dict[str, Any] | None) -> str | None:
    """The text a record's data is stored as: keys sorted, no spaces, UTF-8 as it is.

    orjson writes exactly what `json.dumps(data, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` writes for every valid record (tested), ten times as fast;
    that text is the one stored since the first version, so a record sent again is
    still known as a duplicate. What orjson cannot write (integers past 64 bits,
    never valid) goes to json.dumps, for the validation to name what is wrong.
    """
    if data is None:
        return None
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rejected(change_id: Any, code: str, message: str) -> dict[str, Any]:
    """A change's rejection, as its result (the id null when the change had none)."""
    safe_id = change_id if isinstance(change_id, str) and len(change_id) <= 100 else None
    return {"id": safe_id, "status": "rejected", "error": {"code": code, "message": message}}


CHANGES = TypeAdapter(list[Change])
DATA_LISTS = {name: TypeAdapter(list[model]) for name, model in MODELS.items()}  # type: ignore[valid-type]


def validate_all(raws: list[Any]) -> list[tuple[Change, str | None] | dict[str, Any]]:
    """Check every change: all at once when all are valid (the usual case, one call
    into pydantic per record type); one by one, each with its own verdict, if not."""
    try:
        changes = CHANGES.validate_python(raws)
    except ValidationError:
        return [validate(raw) for raw in raws]
    texts: dict[int, str] = {}
    for n, change in enumerate(changes):
        if change.type not in MODELS or (change.type == "settings") != (change.id == SETTINGS_ID):
            return [validate(raw) for raw in raws]
        if not change.deleted:
            text = canonical(change.data)
            if text is None or len(text.encode()) > MAX_RECORD_BYTES:
                return [validate(raw) for raw in raws]
            texts[n] = text
    for name, adapter in DATA_LISTS.items():
        picked = [n for n, c in enumerate(changes) if c.type == name and n in texts]
        if not picked:
            continue
        try:
            models = adapter.validate_json(f"[{','.join(texts[n] for n in picked)}]")
        except ValidationError:
            return [validate(raw) for raw in raws]
        for n, model in zip(picked, models, strict=True):
            stored = stored_form(changes[n].data or {}, model)
            if stored is not None:
                text = canonical(stored)
                if text is None or len(text.encode()) > MAX_RECORD_BYTES:
                    return [validate(raw) for raw in raws]
                texts[n] = text
    return [(change, texts.get(n)) for n, change in enumerate(changes)]


def validate(raw: Any) -> tuple[Change, str | None] | dict[str, Any]:
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
        return rejected(change.id, "data_too_large", too_large_message())
    try:
        valid = model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        return rejected(change.id, "invalid_data", f"data.{where}: {first['msg']}")
    stored = stored_form(change.data, valid)
    if stored is not None:
        # A session's times in their canonical text: a little longer, at most.
        text = canonical(stored)
        assert text is not None
        if len(text.encode()) > MAX_RECORD_BYTES:
            return rejected(change.id, "data_too_large", too_large_message())
    return change, text


def too_large_message() -> str:
    return f"A record's data may be at most {MAX_RECORD_BYTES} bytes."


@dataclass(slots=True)
class Row:
    """A record as this push sees it: loaded, or new, changed in place as changes apply."""

    id: str
    type: str
    version: int
    deleted: bool
    data: str | None
    change_seq: int
    server_updated_at: datetime | str
    origin_device_id: str | None
    new: bool = False

    def pulled(self) -> dict[str, Any]:
        """The record as pull shows it, as JSON-ready values."""
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "deleted": bool(self.deleted),  # SQLite's plain SQL gives 0 or 1
            "data": json.loads(self.data) if self.data is not None else None,
            "server_updated_at": timestamp(self.server_updated_at),
            "device_id": self.origin_device_id,
        }


def timestamp(moment: datetime | str) -> str:
    """ISO 8601 in UTC with a Z, as pydantic writes it.

    Pull reads SQLite's stored text as it is ("2026-11-24 07:30:00.123456",
    always UTC), which spares parsing a thousand datetimes a page.
    """
    if isinstance(moment, str):
        return moment.replace(" ", "T", 1) + "Z"
    return as_utc(moment).isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class Usage:
    """What an account stores, as its row counts it (raised and lowered by every
    push, under the account's lock), and the most it may."""

    records: int
    bytes: int
    max_records: int
    max_bytes: int

    def refusal(self, row: "Row | None", text: str | None) -> str | None:
        """Why storing `text` in `row` (None: a new record) would go past a quota, or None.

        Only a change that adds is refused: a delete, or an edit that makes a
        record smaller, always goes through, even past a lowered limit.
        """
        if row is None and self.records >= self.max_records:
            return (
                f"This account already holds {self.records} records, the most it may"
                f" ({self.max_records}; deleted ones count, their tombstones are kept)."
            )
        grows = size(text) - (size(row.data) if row is not None else 0)
        if grows > 0 and self.bytes + grows > self.max_bytes:
            return (
                f"This change would take the account's stored data past its limit of"
                f" {self.max_bytes} bytes (it holds {self.bytes}); delete old sessions first."
            )
        return None

    def change(self, row: "Row | None", text: str | None) -> None:
        """Count a change that is applied."""
        self.records += row is None
        self.bytes += size(text) - (size(row.data) if row is not None else 0)


def size(data: str | None) -> int:
    """The bytes a record's data takes as stored (UTF-8)."""
    return len(data.encode()) if data is not None else 0


class Push:
    """One push's changes applied to the account's records, kept in memory until `save`.

    The records the push names are loaded in one query and shared by every
    change of the push, so a second change to the same record sees the first.
    """

    def __init__(
        self, account_id: str, device_id: str, counter: int, rows: dict[str, Row], usage: Usage
    ):
        self.account_id = account_id
        self.device_id = device_id
        self.counter = counter
        self.rows = rows
        self.usage = usage
        self.now = utcnow()

    def apply(self, change: Change, text: str | None) -> dict[str, Any]:
        """Apply one valid change; return its result."""
        row = self.rows.get(change.id)
        if row is not None:
            if row.type != change.type:
                return rejected(
                    change.id, "type_mismatch", f"This record is a {row.type}, not a {change.type}."
                )
            if row.deleted == change.deleted and row.data == text:
                return {"id": change.id, "status": "duplicate", "version": row.version}
            stale = change.base_version != row.version
            # A delete wins over any edit; an edit never revives a deleted record.
            if not change.deleted and (row.deleted or stale):
                return {
                    "id": change.id,
                    "status": "conflict",
                    "version": row.version,
                    "server": row.pulled(),
                }
        refusal = self.usage.refusal(row, text)
        if refusal is not None:
            return rejected(change.id, "quota_exceeded", refusal)
        self.usage.change(row, text)
        self.counter += 1
        if row is None:
            row = Row(change.id, change.type, 0, False, None, 0, self.now, self.device_id, new=True)
            self.rows[change.id] = row
        row.version += 1
        row.deleted = change.deleted
        row.data = text
        row.change_seq = self.counter
        row.server_updated_at = self.now
        return {"id": change.id, "status": "applied", "version": row.version}

    def save(self, connection: Connection, changed: set[str]) -> None:
        """Write the changed records: new ones in one batch of INSERTs, the rest by key.

        Plain SQL in the driver's own placeholders: SQLAlchemy's processing of
        each row's parameters cost more than SQLite's writing them.
        """
        now = stored_time(connection, self.now)
        rows = [self.rows[i] for i in changed]
        inserts = [
            (
                self.account_id,
                r.id,
                r.type,
                r.version,
                r.deleted,
                r.data,
                r.change_seq,
                now,
                r.origin_device_id,
            )
            for r in rows
            if r.new
        ]
        updates = [
            (r.version, r.deleted, r.data, r.change_seq, now, self.account_id, r.id)
            for r in rows
            if not r.new
        ]
        if inserts:
            connection.exec_driver_sql(
                f"INSERT INTO records ({', '.join(INSERTED_COLUMNS)})"  # noqa: S608 (no values)
                f" VALUES ({marks(connection, len(INSERTED_COLUMNS))})",
                inserts,
            )
        if updates:
            mark = marks(connection, 1)
            assignments = ", ".join(f"{name} = {mark}" for name in UPDATED_COLUMNS)
            connection.exec_driver_sql(
                f"UPDATE records SET {assignments} WHERE account_id = {mark} AND id = {mark}",  # noqa: S608
                updates,
            )
        connection.execute(
            update(ACCOUNTS)
            .where(ACCOUNTS.c.id == self.account_id)
            .values(
                change_counter=self.counter,
                record_count=self.usage.records,
                record_bytes=self.usage.bytes,
            )
        )


def marks(connection: Connection, count: int) -> str:
    """`count` positional placeholders, as the driver writes them (sqlite3: ?, psycopg: %s)."""
    return ", ".join(["?" if connection.dialect.paramstyle == "qmark" else "%s"] * count)


def stored_time(connection: Connection, moment: datetime) -> datetime | str:
    """A timestamp as plain SQL passes it: SQLite keeps SQLAlchemy's text (UTC, no
    offset; what timestamp() reads), PostgreSQL takes the datetime."""
    if connection.dialect.name == "sqlite":
        return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def load_rows(connection: Connection, account_id: str, ids: list[str]) -> dict[str, Row]:
    """The records a push names, by id, in one query."""
    if not ids:
        return {}
    found = connection.exec_driver_sql(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM records"  # noqa: S608 (no values in the text)
        f" WHERE account_id = {marks(connection, 1)} AND id IN ({marks(connection, len(ids))})",
        (account_id, *ids),
    )
    return {r[0]: Row(*r) for r in found}


NO_STORE = {"Cache-Control": "no-store"}
A_DEVICE_WITH_HASH = "SELECT 1 FROM devices WHERE token_hash = {mark}"


def check_token(engine: Engine, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise 401 unless the token is a device's, reading without any lock.

    On the DB-API connection, outside SQLAlchemy's transactions: on SQLite every
    one of those begins IMMEDIATE, and a caller with a wrong token must not take
    the write lock. The push checks the token again in its own transaction.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        cursor.execute(A_DEVICE_WITH_HASH.format(mark=mark), (digest(credentials.credentials),))
        found = cursor.fetchone()
        cursor.close()
    finally:
        raw.close()
    if found is None:
        raise unauthorized()


async def push_body(request: Request, credentials: Credentials) -> list[Any]:
    """The changes of a push, once its token is known to be good, parsed with orjson
    (three times pydantic's speed for a body of plain objects); a body it refuses is
    judged by PushRequest, whose errors say what is wrong in the usual shape.

    The token comes first: for a caller who may not push, no body is read, parsed
    or judged (up to the 1 MiB the body limit lets through).
    """
    await run_in_threadpool(check_token, request.app.state.engine, credentials)
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
    engine: Engine = request.app.state.engine
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
        settings = request.app.state.settings
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
            # The schedule follows the user: every device's push reminders move with it.
            follow_schedule(connection, device.account_id, json.loads(preferences.data))
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
    engine: Engine = request.app.state.engine
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


def pulled_json(row: Row) -> str:
    """One record as pull sends it, as JSON text around its stored data.

    Ids are UUIDs and types known words (both checked when pushed), so they
    need no escaping.
    """
    device = "null" if row.origin_device_id is None else f'"{row.origin_device_id}"'
    return (
        f'{{"id":"{row.id}","type":"{row.type}","version":{row.version},'
        f'"deleted":{"true" if row.deleted else "false"},'
        f'"data":{"null" if row.data is None else row.data},'
        f'"server_updated_at":"{timestamp(row.server_updated_at)}","device_id":{device}}}'
    )
