"""The server's copy of an account: every live record in the app's export format."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy import text as sql

from ..errors import error_responses
from .deps import Credentials, authenticate
from .records import SETTINGS_ID

router = APIRouter(prefix="/api/v1", tags=["sync"], responses=error_responses(401, 503))

FORMAT = "spine-routine-export"
# Live records only, in the order they were first made; data is stored as canonical
# JSON, so the file is assembled around it, as pull does.
LIVE_RECORDS = sql(
    "SELECT id, type, version, data FROM records"
    " WHERE account_id = :account AND deleted = :no ORDER BY change_seq"
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
def export(credentials: Credentials, request: Request) -> Response:
    """Everything the account holds, tombstones left out: with the recovery code,
    a user who lost every device gets their history back in one file."""
    engine: Engine = request.app.state.engine
    with engine.begin() as connection:
        device = authenticate(connection, credentials)
        rows = connection.execute(LIVE_RECORDS, {"account": device.account_id, "no": False}).all()
    sessions = ",".join(
        f'{{"id":"{r.id}","version":{r.version},"deleted":false,"data":{r.data}}}'
        for r in rows
        if r.type == "session"
    )
    settings = next((r.data for r in rows if r.id == SETTINGS_ID), "null")
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    stamp = now[:10]
    return Response(
        f'{{"format":"{FORMAT}","version":1,"exported_at":"{now}",'
        f'"sessions":[{sessions}],"settings":{settings}}}',
        media_type="application/json",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="spine-routine-{stamp}.json"',
        },
    )
