"""Request dependencies: a database session, the calling device, the client address."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from .codes import as_utc, digest, same, utcnow
from .errors import ApiError
from .models import Device

# last_seen_at is refreshed at most this often, so a request is not a write.
SEEN_EVERY = timedelta(minutes=5)


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
bearer = HTTPBearer(
    auto_error=False, description="The device token from account creation or pairing"
)


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "A valid device token is needed (Authorization: Bearer).",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_device(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Device:
    """Return the device whose token came with the request, or answer 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    token_hash = digest(credentials.credentials)
    device = session.exec(select(Device).where(Device.token_hash == token_hash)).first()
    if device is None or not same(device.token_hash, token_hash):
        raise unauthorized()
    now = utcnow()
    if now - as_utc(device.last_seen_at) > SEEN_EVERY:
        device.last_seen_at = now
        session.add(device)
        session.commit()
        session.refresh(device)
    return device


DeviceDep = Annotated[Device, Depends(current_device)]


def client_address(request: Request) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"
