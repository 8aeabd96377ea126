"""Accounts without sign-up, pairing codes and recovery (devices.py: the device list)."""

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
)
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from ..clock import as_utc, utcnow
from ..deps import DeviceDep, SessionDep, client_address
from ..errors import ApiError, error_responses
from ..http import NO_STORE
from ..models import Account, Device, PairingCode, Record, Reminder, ReminderSent
from ..state import state
from ..tokens import digest, new_token, same
from . import codes
from .devices import DeviceName, Strict, refuse_past_device_cap, room_for_a_device, scrub
from .ratelimit import hit

router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=error_responses(422, 503))

PAIRING_TTL = timedelta(minutes=10)
REDEMPTIONS_PER_MINUTE = 10
ACCOUNTS_PER_MINUTE = 10


CodeText = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class NewAccount(Strict):
    device_name: DeviceName


class AccountCreated(BaseModel):
    account_id: str
    device_id: str
    token: str
    recovery_code: str = Field(description="Shown once: the way back in when every device is lost")


class RecoveryCode(BaseModel):
    recovery_code: str = Field(description="Shown once: the old code no longer works")


class DeviceJoined(BaseModel):
    account_id: str
    device_id: str
    token: str


class Redeem(Strict):
    code: CodeText
    device_name: DeviceName


class Recover(Strict):
    recovery_code: CodeText
    device_name: DeviceName


class Pairing(BaseModel):
    code: str
    expires_at: datetime


def join(session: Session, response: Response, account_id: str, name: str) -> DeviceJoined:
    """Add a device to an account and commit; its token is handed out only here."""
    token = new_token()
    device = Device(id=codes.new_id(), account_id=account_id, name=name, token_hash=digest(token))
    session.add(device)
    session.commit()
    response.headers.update(NO_STORE)
    return DeviceJoined(account_id=account_id, device_id=device.id, token=token)


@router.post(
    "/accounts",
    status_code=201,
    response_model=AccountCreated,
    summary="Turn sync on: a new account and this device's token",
    responses=error_responses(413, 429),
)
def create_account(
    body: NewAccount, request: Request, response: Response, session: SessionDep
) -> AccountCreated:
    """Create an account with its first device; the recovery code is shown only here."""
    hit(session, "accounts", client_address(request), ACCOUNTS_PER_MINUTE)
    recovery = codes.new_recovery_code()
    account = Account(id=codes.new_id(), recovery_hash=digest(codes.normalize_code(recovery)))
    session.add(account)
    session.flush()
    joined = join(session, response, account.id, body.device_name)
    return AccountCreated(**joined.model_dump(), recovery_code=recovery)


@router.post(
    "/pairings",
    status_code=201,
    response_model=Pairing,
    summary="A single-use code that lets one more device join",
    responses=error_responses(401, 409),
    dependencies=[Depends(room_for_a_device)],
)
def create_pairing(device: DeviceDep, session: SessionDep, response: Response) -> Pairing:
    """Make a pairing code that lives ten minutes or one use."""
    code = codes.new_pairing_code()
    expires = utcnow() + PAIRING_TTL
    session.add(
        PairingCode(
            code_hash=digest(codes.normalize_code(code)),
            account_id=device.account_id,
            device_id=device.id,
            expires_at=expires,
        )
    )
    session.commit()
    response.headers.update(NO_STORE)
    return Pairing(code=code, expires_at=expires)


@router.post(
    "/pairings/redeem",
    status_code=201,
    response_model=DeviceJoined,
    summary="Join an account with a pairing code",
    responses=error_responses(400, 409, 413, 429),
)
def redeem_pairing(
    body: Redeem, request: Request, response: Response, session: SessionDep
) -> DeviceJoined:
    """Trade a pairing code for a device token; the code dies with this use."""
    hit(session, "redeem", client_address(request), REDEMPTIONS_PER_MINUTE)
    code_hash = digest(codes.normalize_code(body.code))
    # Single use, even when two devices race for it: one atomic DELETE ... RETURNING.
    claimed = session.execute(
        delete(PairingCode)
        .where(col(PairingCode.code_hash) == code_hash)
        .returning(col(PairingCode.account_id), col(PairingCode.expires_at))
    ).first()
    if claimed is None or as_utc(claimed.expires_at) < utcnow():
        session.commit()
        raise ApiError(
            400,
            "invalid_pairing_code",
            "That pairing code is wrong, used or expired. Make a new one on your other device.",
        )
    # Refused, the code stays (rolled back) for once a device has been removed.
    refuse_past_device_cap(session, claimed.account_id, state(request).settings.max_devices)
    return join(session, response, claimed.account_id, body.device_name)


@router.post(
    "/recovery",
    status_code=201,
    response_model=DeviceJoined,
    summary="Join an account with its recovery code",
    responses=error_responses(400, 413, 429),
)
def recover(
    body: Recover, request: Request, response: Response, session: SessionDep
) -> DeviceJoined:
    """Let a new device in with the recovery code, when every other device is lost."""
    hit(session, "recovery", client_address(request), REDEMPTIONS_PER_MINUTE)
    recovery_hash = digest(codes.normalize_code(body.recovery_code))
    account = session.exec(select(Account).where(Account.recovery_hash == recovery_hash)).first()
    if account is None or not same(account.recovery_hash, recovery_hash):
        raise ApiError(400, "invalid_recovery_code", "That recovery code is not right.")
    return join(session, response, account.id, body.device_name)


@router.post(
    "/account/recovery-code",
    status_code=201,
    response_model=RecoveryCode,
    summary="Replace the recovery code: the old one stops working at once",
    responses=error_responses(401),
)
def replace_recovery_code(
    device: DeviceDep, session: SessionDep, response: Response
) -> RecoveryCode:
    """Make a new recovery code, shown only here; the old one is refused from now on.

    A recovery code lets in a new device as often as it is used (it is the way
    back when every device is lost), so one that may have been seen is replaced.
    """
    recovery = codes.new_recovery_code()
    session.execute(
        update(Account)
        .where(col(Account.id) == device.account_id)
        .values(recovery_hash=digest(codes.normalize_code(recovery)))
    )
    session.commit()
    response.headers.update(NO_STORE)
    return RecoveryCode(recovery_code=recovery)


@router.delete(
    "/account",
    status_code=204,
    summary="Delete the account and all its data",
    responses=error_responses(401),
)
def delete_account(device: DeviceDep, session: SessionDep, request: Request) -> Response:
    """Delete the account, its devices, codes and every log, for good."""
    account_id = device.account_id
    # Explicit deletes, in case the database does not enforce ON DELETE CASCADE.
    session.execute(delete(Record).where(col(Record.account_id) == account_id))
    devices = select(Device.id).where(col(Device.account_id) == account_id)
    session.execute(delete(ReminderSent).where(col(ReminderSent.device_id).in_(devices)))
    session.execute(delete(Reminder).where(col(Reminder.account_id) == account_id))
    session.execute(delete(PairingCode).where(col(PairingCode.account_id) == account_id))
    session.execute(delete(Device).where(col(Device.account_id) == account_id))
    session.execute(delete(Account).where(col(Account.id) == account_id))
    session.commit()
    scrub(request)
    return Response(status_code=204, headers=NO_STORE)
