"""Push reminders: each device's subscription and weekly schedule, and the server's VAPID key."""

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from sqlalchemy import Connection, and_, delete, insert, not_, select, update

from ..clock import utcnow
from ..deps import DeviceDep, SessionDep
from ..errors import ApiError, error_responses
from ..http import NO_STORE
from ..models import Reminder
from ..state import state
from ..sync.records import Day, Reminders, Strict, unique_days
from .endpoints import InvalidEndpoint, PushPolicy
from .schedule import next_due
from .webpush import b64url_decode, check_p256dh

router = APIRouter(prefix="/api/v1", tags=["reminders"], responses=error_responses(422, 503))
REMINDERS = Reminder.__table__  # type: ignore[attr-defined]


def key_of_length(length: int, first: int | None = None) -> AfterValidator:
    def check(text: str) -> str:
        try:
            raw = b64url_decode(text)
        except ValueError as exc:
            raise ValueError("must be base64url") from exc
        if len(raw) != length or (first is not None and raw[0] != first):
            raise ValueError(f"must be base64url of {length} bytes")
        return text

    return AfterValidator(check)


B64 = StringConstraints(pattern=r"^[A-Za-z0-9_-]+=*$", max_length=100)


def on_p256(text: str) -> str:
    """A key that is not a point on the curve would fail every send: refused here."""
    try:
        check_p256dh(b64url_decode(text))
    except ValueError as exc:
        raise ValueError("must be a P-256 public key (a point on the curve)") from exc
    return text


class SubscriptionKeys(Strict):
    p256dh: Annotated[str, B64, key_of_length(65, first=4), AfterValidator(on_p256)] = Field(
        description="The browser's P-256 public key, uncompressed, base64url"
    )
    auth: Annotated[str, B64, key_of_length(16)] = Field(
        description="The 16-byte authentication secret, base64url"
    )


class Subscription(Strict):
    """A PushSubscription as the browser's toJSON() gives it (expirationTime ignored)."""

    endpoint: Annotated[str, StringConstraints(max_length=2000)]
    keys: SubscriptionKeys
    expirationTime: int | None = None


class ReminderIn(Reminders):
    # A push reminder needs a day (the settings record may keep none).
    days: Annotated[list[Day], Field(min_length=1, max_length=7), AfterValidator(unique_days)]
    subscription: Subscription


class ReminderOut(BaseModel):
    days: list[str]
    time: str
    time_zone: str
    endpoint: str
    next_at: datetime = Field(description="The next reminder, in UTC")


class PublicKey(BaseModel):
    public_key: str = Field(description="VAPID public key: the applicationServerKey, base64url")


def check_endpoint(endpoint: str, policy: PushPolicy) -> None:
    """Only a push service's endpoint is stored (the send checks its addresses again)."""
    try:
        policy.check(endpoint)
    except InvalidEndpoint as exc:
        raise ApiError(400, "invalid_endpoint", str(exc)) from exc


@router.get("/push/key", response_model=PublicKey, summary="The server's VAPID public key")
def public_key(request: Request) -> PublicKey:
    keys = state(request).push_keys
    return PublicKey(public_key=keys.get().public_key)


def reminder_out(row: Reminder) -> ReminderOut:
    return ReminderOut(
        days=row.days.split(","),
        time=row.time,
        time_zone=row.time_zone,
        endpoint=row.endpoint,
        next_at=row.due_at,
    )


@router.put(
    "/reminders",
    response_model=ReminderOut,
    summary="Set this device's push subscription and weekly reminder",
    responses=error_responses(400, 401),
)
def put_reminder(
    body: ReminderIn, request: Request, device: DeviceDep, session: SessionDep, response: Response
) -> ReminderOut:
    check_endpoint(body.subscription.endpoint, PushPolicy.from_settings(state(request).settings))
    values = {
        "account_id": device.account_id,
        "endpoint": body.subscription.endpoint,
        "p256dh": body.subscription.keys.p256dh,
        "auth": body.subscription.keys.auth,
        **scheduled(body.days, body.time, body.time_zone),
    }
    connection = session.connection()
    found = connection.execute(
        select(REMINDERS.c.device_id).where(REMINDERS.c.device_id == device.id)
    ).first()
    if found is None:
        connection.execute(insert(REMINDERS).values(device_id=device.id, **values))
    else:
        connection.execute(
            update(REMINDERS).where(REMINDERS.c.device_id == device.id).values(**values)
        )
    session.commit()
    response.headers.update(NO_STORE)
    return reminder_out(mine(session, device.id))


def follow_schedule(connection: Connection, account_id: str, settings: dict[str, Any]) -> None:
    """Give the account's push reminders the schedule of its settings record, as
    changed on any device; a schedule with no days stops them. The app factory hands
    this to sync, which calls it inside the push that changed the settings."""
    schedule = settings.get("reminders")
    if schedule is None:
        return
    mine = REMINDERS.c.account_id == account_id
    if not schedule["days"]:
        connection.execute(delete(REMINDERS).where(mine))
        return
    days = ",".join(schedule["days"])
    unchanged = and_(
        REMINDERS.c.days == days,
        REMINDERS.c.time == schedule["time"],
        REMINDERS.c.time_zone == schedule["time_zone"],
    )
    connection.execute(
        update(REMINDERS)
        .where(mine, not_(unchanged))  # a reminder about to go out keeps its time
        .values(**scheduled(schedule["days"], schedule["time"], schedule["time_zone"]))
    )


def scheduled(days: Sequence[str], time: str, time_zone: str) -> dict[str, Any]:
    """A reminder's columns for a weekly schedule, from now on: its next time, and no
    send in flight. The one way a schedule is stored, whichever route brought it."""
    now = utcnow()
    return {
        "days": ",".join(days),
        "time": time,
        "time_zone": time_zone,
        "due_at": next_due(days, time, time_zone, now),
        "lease_until": None,
        "attempts": 0,
        "retry_at": None,
        "updated_at": now,
    }


def mine(session: SessionDep, device_id: str) -> Reminder:
    row = session.get(Reminder, device_id)
    if row is None:
        raise ApiError(404, "no_reminder", "This device has no push reminder.")
    return row


@router.get(
    "/reminders",
    response_model=ReminderOut,
    summary="This device's push reminder",
    responses=error_responses(401, 404),
)
def get_reminder(device: DeviceDep, session: SessionDep, response: Response) -> ReminderOut:
    response.headers.update(NO_STORE)
    return reminder_out(mine(session, device.id))


@router.delete(
    "/reminders",
    status_code=204,
    summary="Stop this device's push reminders",
    responses=error_responses(401),
)
def delete_reminder(device: DeviceDep, session: SessionDep) -> Response:
    session.execute(delete(REMINDERS).where(REMINDERS.c.device_id == device.id))
    session.commit()
    return Response(status_code=204, headers=NO_STORE)
