"""What every feature's routes depend on: a database session, the calling device
(from its bearer token), the client address."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlmodel import Session

from .clock import as_utc, utcnow
from .errors import ApiError
from .models import Device
from .state import state
from .tokens import digest, same

# last_seen_at is refreshed at most this often, so a request is not a write.
SEEN_EVERY = timedelta(minutes=5)
DEVICES = Device.__table__  # type: ignore[attr-defined]
A_DEVICE_WITH_HASH = "SELECT 1 FROM devices WHERE token_hash = {mark}"
DEVICE_BY_TOKEN = select(
    DEVICES.c.id, DEVICES.c.account_id, DEVICES.c.token_hash, DEVICES.c.last_seen_at
).where(DEVICES.c.token_hash == bindparam("token_hash"))


def get_session(request: Request) -> Iterator[Session]:
    with Session(state(request).engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
bearer = HTTPBearer(
    auto_error=False, description="The device token from account creation or pairing"
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@dataclass(frozen=True, slots=True)
class Caller:
    """The device a request came from, and its account: every query is scoped by it."""

    id: str
    account_id: str


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "A valid device token is needed (Authorization: Bearer).",
        headers={"WWW-Authenticate": "Bearer"},
    )


def authenticate(
    connection: Connection, credentials: HTTPAuthorizationCredentials | None
) -> Caller:
    """Return the device whose token came with the request, or raise 401.

    Runs in the caller's transaction: sync authenticates in the same one as its
    work, so a push is one trip to a worker thread and one transaction.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    token_hash = digest(credentials.credentials)
    device = connection.execute(DEVICE_BY_TOKEN, {"token_hash": token_hash}).first()
    if device is None or not same(device.token_hash, token_hash):
        raise unauthorized()
    now = utcnow()
    if now - as_utc(device.last_seen_at) > SEEN_EVERY:
        connection.execute(
            update(DEVICES).where(DEVICES.c.id == device.id).values(last_seen_at=now)
        )
    return Caller(device.id, device.account_id)


def current_device(session: SessionDep, credentials: Credentials) -> Caller:
    """The calling device, for routes that work with the ORM session."""
    caller = authenticate(session.connection(), credentials)
    session.commit()  # the last-seen time, if it moved; the route goes on in a new transaction
    return caller


DeviceDep = Annotated[Caller, Depends(current_device)]


def check_token(engine: Engine, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise 401 unless the token is a device's, reading without any lock.

    On the DB-API connection, outside SQLAlchemy's transactions: on SQLite every
    one of those begins IMMEDIATE, and a caller with a wrong token must not take
    the write lock. The caller checks the token again in its own transaction.
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


def client_address(request: Request) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"
