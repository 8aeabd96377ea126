"""Accounts without sign-up, pairing codes, recovery, and the device list."""

import logging
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from ..db import checkpoint_wal
from ..errors import ApiError, error_responses
from ..models import Account, Device, PairingCode, Record, Reminder, ReminderSent
from . import codes
from .codes import as_utc, utcnow
from .deps import Caller, DeviceDep, SessionDep, client_address
from .devices_cap import refuse_past_device_cap, room_for_a_device
from .ratelimit import hit

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=error_responses(422, 503))

PAIRING_TTL = timedelta(minutes=10)
REDEMPTIONS_PER_MINUTE = 10
ACCOUNTS_PER_MINUTE = 10
NO_STORE = {"Cache-Control": "no-store"}


# Printable characters, at least one of them visible: a name of only spaces says
# nothing, and control characters have no place in it (PostgreSQL refuses NUL).
# A pattern, so the schema says it too and fuzzing generates by it.
_NOT_IN_A_NAME = r"\x00-\x1f\x7f"
NAME_PATTERN = rf"^[^{_NOT_IN_A_NAME}]*[^\s{_NOT_IN_A_NAME}][^{_NOT_IN_A_NAME}]*$"


def _say_what_a_name_is(value: object, check: ValidatorFunctionWrapHandler) -> str:
    # Pydantic would quote the pattern at the person; say what it means instead.
    try:
        name: str = check(value)
    except ValidationError:
        raise PydanticCustomError(
            "device_name",
            "A device name has 1 to 60 characters, not only spaces, and no line breaks",
        ) from None
    return name


DeviceName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=NAME_PATTERN),
    WrapValidator(_say_what_a_name_is),
]
CodeText = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class DeviceOut(BaseModel):
    device_id: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


class DeviceList(BaseModel):
    devices: list[DeviceOut]


class DeviceRename(Strict):
    name: DeviceName


def device_out(device: Device, caller: Caller) -> DeviceOut:
    """A device as the device list shows it to the caller."""
    return DeviceOut(
        device_id=device.id,
        name=device.name,
        created_at=as_utc(device.created_at),
        last_seen_at=as_utc(device.last_seen_at),
        current=device.id == caller.id,
    )


def account_device(device_id: str, device: DeviceDep, session: SessionDep) -> Device:
    """The device named in the path, if it is one of the caller's account; else 404."""
    target = session.get(Device, device_id)
    if target is None or target.account_id != device.account_id:
        raise ApiError(404, "unknown_device", "There is no such device in this account.")
    return target


AccountDeviceDep = Annotated[Device, Depends(account_device)]


def join(session: Session, response: Response, account_id: str, name: str) -> DeviceJoined:
    """Add a device to an account and commit; its token is handed out only here."""
    token = codes.new_token()
    device = Device(
        id=codes.new_id(), account_id=account_id, name=name, token_hash=codes.digest(token)
    )
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
    account = Account(id=codes.new_id(), recovery_hash=codes.digest(codes.normalize_code(recovery)))
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
            code_hash=codes.digest(codes.normalize_code(code)),
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
    code_hash = codes.digest(codes.normalize_code(body.code))
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
    refuse_past_device_cap(session, claimed.account_id, request.app.state.settings.max_devices)
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
    recovery_hash = codes.digest(codes.normalize_code(body.recovery_code))
    account = session.exec(select(Account).where(Account.recovery_hash == recovery_hash)).first()
    if account is None or not codes.same(account.recovery_hash, recovery_hash):
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
        .values(recovery_hash=codes.digest(codes.normalize_code(recovery)))
    )
    session.commit()
    response.headers.update(NO_STORE)
    return RecoveryCode(recovery_code=recovery)


@router.get(
    "/devices",
    response_model=DeviceList,
    summary="The devices of this account",
    responses=error_responses(401),
)
def list_devices(device: DeviceDep, session: SessionDep, response: Response) -> DeviceList:
    """List every device that can sync this account, this one marked `current`."""
    devices = session.exec(
        select(Device)
        .where(Device.account_id == device.account_id)
        .order_by(col(Device.created_at))
    ).all()
    response.headers.update(NO_STORE)
    return DeviceList(devices=[device_out(d, device) for d in devices])


@router.patch(
    "/devices/{device_id}",
    response_model=DeviceOut,
    summary="Rename a device",
    responses=error_responses(401, 404),
)
def rename_device(
    body: DeviceRename,
    target: AccountDeviceDep,
    device: DeviceDep,
    session: SessionDep,
    response: Response,
) -> DeviceOut:
    """Give a device of this account a new name, as the device list shows it."""
    target.name = body.name
    session.add(target)
    session.commit()
    session.refresh(target)
    response.headers.update(NO_STORE)
    return device_out(target, device)


@router.delete(
    "/devices/{device_id}",
    status_code=204,
    summary="Remove a device",
    responses=error_responses(401, 404),
)
def remove_device(target: AccountDeviceDep, session: SessionDep, request: Request) -> Response:
    """Revoke a device: its token and the pairing codes it made are refused from now on."""
    # Its reminders and codes die with it (explicitly, as in delete_account).
    session.execute(delete(ReminderSent).where(col(ReminderSent.device_id) == target.id))
    session.execute(delete(Reminder).where(col(Reminder.device_id) == target.id))
    session.execute(delete(PairingCode).where(col(PairingCode.device_id) == target.id))
    session.delete(target)
    session.commit()
    scrub(request)  # its name and push endpoint
    return Response(status_code=204, headers=NO_STORE)


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


def scrub(request: Request) -> None:
    """Leave no copy of deleted rows in SQLite's files (secure_delete zeroes the main file)."""
    if not checkpoint_wal(request.app.state.engine):
        log.warning("WAL checkpoint after a deletion was kept waiting by a reader; it is partial")
