"""The devices of an account: their names, the list, renaming and removal, and the cap
on how many there may be (MAX_DEVICES: pairing stops at it)."""

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ..clock import as_utc
from ..db import checkpoint_wal
from ..deps import Caller, DeviceDep, SessionDep
from ..errors import ApiError, error_responses
from ..http import NO_STORE
from ..models import Account, Device, PairingCode, Reminder, ReminderSent
from ..state import state

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=error_responses(422, 503))


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


class Strict(BaseModel):
    """A request body with no unknown fields (accounts.py's bodies too)."""

    model_config = ConfigDict(extra="forbid")


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


def scrub(request: Request) -> None:
    """Leave no copy of deleted rows in SQLite's files (secure_delete zeroes the main file)."""
    if not checkpoint_wal(state(request).engine):
        log.warning("WAL checkpoint after a deletion was kept waiting by a reader; it is partial")


def refuse_past_device_cap(session: Session, account_id: str, max_devices: int) -> None:
    """Raise 409 too_many_devices when the account has as many devices as it may.

    The account's row is locked first (FOR UPDATE on PostgreSQL; SQLite's
    transactions hold the write lock), so two redemptions at once cannot both
    take the last place.
    """
    session.exec(select(Account.id).where(Account.id == account_id).with_for_update()).first()
    count = session.exec(
        select(func.count()).select_from(Device).where(col(Device.account_id) == account_id)
    ).one()
    if count >= max_devices:
        raise ApiError(
            409,
            "too_many_devices",
            f"This account already has {count} devices, the most it may have ({max_devices})."
            " Remove one under Settings, Sync on another device, then pair again.",
        )


def room_for_a_device(device: DeviceDep, session: SessionDep, request: Request) -> None:
    """A dependency: refuse to make a pairing code that could not be redeemed."""
    refuse_past_device_cap(session, device.account_id, state(request).settings.max_devices)
