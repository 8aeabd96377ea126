"""The server's copy of an account: every live record in the app's export format."""

from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy import text as sql

from ..deps import Credentials, authenticate
from ..errors import error_responses
from ..state import state
from .records import SETTINGS_ID

router = APIRouter(prefix="/api/v1", tags=["sync"], responses=error_responses(401, 503))

FORMAT = "spine-routine-export"
# Sessions are read a page at a time, each page in its own short transaction, so
# the file is streamed in memory that does not grow with the account (records
# are at most 64 KiB: a page is at most a few MiB, usually well under one).
PAGE = 500
# Live sessions after an id, in the order of the primary key: a record edited
# while the file is being written keeps its place, so it is in the file once.
# Data is stored as canonical JSON, so the file is assembled around it, as pull does.
SESSION_PAGE = sql(
    "SELECT id, version, data FROM records"
    " WHERE account_id = :account AND id > :after AND type = 'session' AND deleted = :no"
    " ORDER BY id LIMIT :limit"
)
SETTINGS_DATA = sql(
    "SELECT data FROM records WHERE account_id = :account AND id = :id AND deleted = :no"
)


class ExportedSession(BaseModel):
    id: str
    version: int
    deleted: bool = False
    data: dict[str, object]


class Export(BaseModel):
    format: str = Field(FORMAT, description="Always spine-routine-export")
    version: int = Field(1, description="Version of this format")
    exported_at: datetime
    sessions: list[ExportedSession] = Field(description="Every session that is not deleted")
    settings: dict[str, object] | None = Field(description="The settings record's data, if any")


@router.get(
    "/export",
    response_model=Export,
    summary="Every record of the account in one file (the app's export format)",
)
def export(credentials: Credentials, request: Request) -> StreamingResponse:
    """Everything the account holds, tombstones left out: with the recovery code,
    a user who lost every device gets their history back in one file."""
    engine = state(request).engine
    with engine.begin() as connection:
        device = authenticate(connection, credentials)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return StreamingResponse(
        export_file(engine, device.account_id, now),
        media_type="application/json",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="spine-routine-{now[:10]}.json"',
        },
    )


def export_file(engine: Engine, account_id: str, now: str) -> Iterator[str]:
    """The export's text, a page of sessions at a time (Starlette runs this in a thread)."""
    yield f'{{"format":"{FORMAT}","version":1,"exported_at":"{now}","sessions":['
    after, first = "", True
    while True:
        with engine.connect() as connection:
            page = connection.execute(
                SESSION_PAGE, {"account": account_id, "after": after, "no": False, "limit": PAGE}
            ).all()
        if page:
            sessions = ",".join(
                f'{{"id":"{r.id}","version":{r.version},"deleted":false,"data":{r.data}}}'
                for r in page
            )
            yield sessions if first else f",{sessions}"
            first, after = False, page[-1].id
        if len(page) < PAGE:
            break
    with engine.connect() as connection:
        settings = connection.execute(
            SETTINGS_DATA, {"account": account_id, "id": SETTINGS_ID, "no": False}
        ).scalar()
    yield f'],"settings":{settings or "null"}}}'
