"""Database tables. Wire models live beside their routes; these never leave the server."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Account(SQLModel, table=True):
    """One person's sync space; created when they turn sync on, with no e-mail or password."""

    __tablename__ = "accounts"

    id: str = Field(primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    # Raised inside every push that changes a record: the order of pull.
    change_counter: int = Field(default=0)
    # What the account stores (every record, tombstones too, and the UTF-8 bytes of
    # their data), kept by each push under the account's lock: the quotas.
    record_count: int = Field(default=0)
    record_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    recovery_hash: str = Field(max_length=64, unique=True)


class Device(SQLModel, table=True):
    """A browser that may sync an account, identified by its bearer token."""

    __tablename__ = "devices"

    id: str = Field(primary_key=True, max_length=36)
    account_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=60)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class PairingCode(SQLModel, table=True):
    """A short single-use code that lets one more device join an account."""

    __tablename__ = "pairing_codes"

    code_hash: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # The device that made it: a code dies with its device (null: made before 0004).
    device_id: str | None = Field(
        default=None,
        sa_column=Column(String(36), ForeignKey("devices.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class Record(SQLModel, table=True):
    """One synced document (a session log), whole, with its version and change order."""

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_account_change", "account_id", "change_seq"),)

    account_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
        )
    )
    id: str = Field(primary_key=True, max_length=36)
    type: str = Field(max_length=20)
    version: int
    deleted: bool = False
    # Canonical JSON (sorted keys): compared byte for byte to spot duplicates.
    data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    change_seq: int
    server_updated_at: datetime = Field(default_factory=utcnow)
    # The device that first sent it (no foreign key: the device may be removed later).
    origin_device_id: str | None = Field(default=None, max_length=36)


class RateHit(SQLModel, table=True):
    """Attempts per client address and minute, shared by every worker."""

    __tablename__ = "rate_hits"

    bucket: str = Field(primary_key=True, max_length=20)
    client: str = Field(primary_key=True, max_length=64)
    window: int = Field(primary_key=True)  # minutes since the epoch
    count: int = 0


class PushKey(SQLModel, table=True):
    """The server's VAPID key pair (RFC 8292), made on first start and shared by every worker."""

    __tablename__ = "push_keys"

    id: int = Field(primary_key=True)  # always 1: one key pair per server
    private_pem: str = Field(sa_column=Column(Text, nullable=False))
    public_key: str = Field(max_length=100)  # base64url, uncompressed P-256 point
    created_at: datetime = Field(default_factory=utcnow)


class Reminder(SQLModel, table=True):
    """One device's push subscription and weekly schedule; it dies with the device."""

    __tablename__ = "reminders"

    device_id: str = Field(
        sa_column=Column(String(36), ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    )
    account_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    endpoint: str = Field(sa_column=Column(Text, nullable=False))
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=50)
    days: str = Field(max_length=27)  # "mon,wed,fri"
    time: str = Field(max_length=5)  # "07:30", local
    time_zone: str = Field(max_length=64)
    # The next reminder, in UTC; moved on once it is sent or skipped.
    due_at: datetime = Field(index=True)
    # A scheduler that claims the reminder holds it until then (the lease).
    lease_until: datetime | None = None
    # Failed tries of the reminder due now (429, 5xx, no answer): the backoff.
    attempts: int = 0
    retry_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """What the scheduler did with each due reminder: sent, or skipped (routine done)."""

    __tablename__ = "reminders_sent"

    device_id: str = Field(
        sa_column=Column(String(36), ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    )
    due_at: datetime = Field(primary_key=True)
    outcome: str = Field(max_length=10)  # "sent", "skipped" or "expired"
    at: datetime = Field(default_factory=utcnow)
