"""The cap on devices per account (MAX_DEVICES): pairing stops at it."""

from fastapi import Request
from sqlalchemy import func
from sqlmodel import Session, col, select

from ..errors import ApiError
from ..models import Account, Device
from .deps import DeviceDep, SessionDep


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
    refuse_past_device_cap(session, device.account_id, request.app.state.settings.max_devices)
