"""The records table as sync reads and writes it: one push applied in memory and
saved in a few statements, a pull page read as stored, and each account's usage."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy import text as sql

from ..clock import as_utc, utcnow
from ..models import Account, Record
from .validate import Change, rejected

MAX_CHANGE_SEQ = 2**31 - 1
RECORDS = Record.__table__  # type: ignore[attr-defined]
ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
# The columns an edit or a delete changes.
UPDATED_COLUMNS = ("version", "deleted", "data", "change_seq", "server_updated_at")
# The columns a push or pull reads, in the order of Row's fields.
ROW_COLUMNS = (
    "id",
    "type",
    "version",
    "deleted",
    "data",
    "change_seq",
    "server_updated_at",
    "origin_device_id",
)
# A new record: the row and its account.
INSERTED_COLUMNS = ("account_id", *ROW_COLUMNS)
# A page of pull as plain SQL (ROW_COLUMNS): values come back as the driver gives
# them, with no type processing (SQLite's timestamps as stored text; see timestamp()).
PULL_PAGE = sql(
    "SELECT id, type, version, deleted, data, change_seq, server_updated_at, origin_device_id"
    " FROM records WHERE account_id = :account AND change_seq > :after"
    " ORDER BY change_seq LIMIT :limit"
)
# How many changes a pull has still to send after a page: the progress a new
# device shows while it receives an account's whole history.
PULL_REMAINING = sql(
    "SELECT count(*) FROM records WHERE account_id = :account AND change_seq > :after"
)


@dataclass(slots=True)
class Row:
    """A record as this push sees it: loaded, or new, changed in place as changes apply."""

    id: str
    type: str
    version: int
    deleted: bool
    data: str | None
    change_seq: int
    server_updated_at: datetime | str
    origin_device_id: str | None
    new: bool = False

    def pulled(self) -> dict[str, Any]:
        """The record as pull shows it, as JSON-ready values."""
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "deleted": bool(self.deleted),  # SQLite's plain SQL gives 0 or 1
            "data": json.loads(self.data) if self.data is not None else None,
            "server_updated_at": timestamp(self.server_updated_at),
            "device_id": self.origin_device_id,
        }


def timestamp(moment: datetime | str) -> str:
    """ISO 8601 in UTC with a Z, as pydantic writes it.

    Pull reads SQLite's stored text as it is ("2026-11-24 07:30:00.123456",
    always UTC), which spares parsing a thousand datetimes a page.
    """
    if isinstance(moment, str):
        return moment.replace(" ", "T", 1) + "Z"
    return as_utc(moment).isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class Usage:
    """What an account stores, as its row counts it (raised and lowered by every
    push, under the account's lock), and the most it may."""

    records: int
    bytes: int
    max_records: int
    max_bytes: int

    def refusal(self, row: "Row | None", text: str | None) -> str | None:
        """Why storing `text` in `row` (None: a new record) would go past a quota, or None.

        Only a change that adds is refused: a delete, or an edit that makes a
        record smaller, always goes through, even past a lowered limit.
        """
        if row is None and self.records >= self.max_records:
            return (
                f"This account already holds {self.records} records, the most it may"
                f" ({self.max_records}; deleted ones count, their tombstones are kept)."
            )
        grows = size(text) - (size(row.data) if row is not None else 0)
        if grows > 0 and self.bytes + grows > self.max_bytes:
            return (
                f"This change would take the account's stored data past its limit of"
                f" {self.max_bytes} bytes (it holds {self.bytes}); delete old sessions first."
            )
        return None

    def change(self, row: "Row | None", text: str | None) -> None:
        """Count a change that is applied."""
        self.records += row is None
        self.bytes += size(text) - (size(row.data) if row is not None else 0)


def size(data: str | None) -> int:
    """The bytes a record's data takes as stored (UTF-8)."""
    return len(data.encode()) if data is not None else 0


class Push:
    """One push's changes applied to the account's records, kept in memory until `save`.

    The records the push names are loaded in one query and shared by every
    change of the push, so a second change to the same record sees the first.
    """

    def __init__(
        self, account_id: str, device_id: str, counter: int, rows: dict[str, Row], usage: Usage
    ):
        self.account_id = account_id
        self.device_id = device_id
        self.counter = counter
        self.rows = rows
        self.usage = usage
        self.now = utcnow()

    def apply(self, change: Change, text: str | None) -> dict[str, Any]:
        """Apply one valid change; return its result."""
        row = self.rows.get(change.id)
        if row is not None:
            if row.type != change.type:
                return rejected(
                    change.id, "type_mismatch", f"This record is a {row.type}, not a {change.type}."
                )
            if row.deleted == change.deleted and row.data == text:
                return {"id": change.id, "status": "duplicate", "version": row.version}
            stale = change.base_version != row.version
            # A delete wins over any edit; an edit never revives a deleted record.
            if not change.deleted and (row.deleted or stale):
                return {
                    "id": change.id,
                    "status": "conflict",
                    "version": row.version,
                    "server": row.pulled(),
                }
        refusal = self.usage.refusal(row, text)
        if refusal is not None:
            return rejected(change.id, "quota_exceeded", refusal)
        self.usage.change(row, text)
        self.counter += 1
        if row is None:
            row = Row(change.id, change.type, 0, False, None, 0, self.now, self.device_id, new=True)
            self.rows[change.id] = row
        row.version += 1
        row.deleted = change.deleted
        row.data = text
        row.change_seq = self.counter
        row.server_updated_at = self.now
        return {"id": change.id, "status": "applied", "version": row.version}

    def save(self, connection: Connection, changed: set[str]) -> None:
        """Write the changed records: new ones in one batch of INSERTs, the rest by key.

        Plain SQL in the driver's own placeholders: SQLAlchemy's processing of
        each row's parameters cost more than SQLite's writing them.
        """
        now = stored_time(connection, self.now)
        rows = [self.rows[i] for i in changed]
        inserts = [
            (
                self.account_id,
                r.id,
                r.type,
                r.version,
                r.deleted,
                r.data,
                r.change_seq,
                now,
                r.origin_device_id,
            )
            for r in rows
            if r.new
        ]
        updates = [
            (r.version, r.deleted, r.data, r.change_seq, now, self.account_id, r.id)
            for r in rows
            if not r.new
        ]
        if inserts:
            connection.exec_driver_sql(
                f"INSERT INTO records ({', '.join(INSERTED_COLUMNS)})"  # noqa: S608 (no values)
                f" VALUES ({marks(connection, len(INSERTED_COLUMNS))})",
                inserts,
            )
        if updates:
            mark = marks(connection, 1)
            assignments = ", ".join(f"{name} = {mark}" for name in UPDATED_COLUMNS)
            connection.exec_driver_sql(
                f"UPDATE records SET {assignments} WHERE account_id = {mark} AND id = {mark}",  # noqa: S608
                updates,
            )
        connection.execute(
            update(ACCOUNTS)
            .where(ACCOUNTS.c.id == self.account_id)
            .values(
                change_counter=self.counter,
                record_count=self.usage.records,
                record_bytes=self.usage.bytes,
            )
        )


def marks(connection: Connection, count: int) -> str:
    """`count` positional placeholders, as the driver writes them (sqlite3: ?, psycopg: %s)."""
    return ", ".join(["?" if connection.dialect.paramstyle == "qmark" else "%s"] * count)


def stored_time(connection: Connection, moment: datetime) -> datetime | str:
    """A timestamp as plain SQL passes it: SQLite keeps SQLAlchemy's text (UTC, no
    offset; what timestamp() reads), PostgreSQL takes the datetime."""
    if connection.dialect.name == "sqlite":
        return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def load_rows(connection: Connection, account_id: str, ids: list[str]) -> dict[str, Row]:
    """The records a push names, by id, in one query."""
    if not ids:
        return {}
    found = connection.exec_driver_sql(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM records"  # noqa: S608 (no values in the text)
        f" WHERE account_id = {marks(connection, 1)} AND id IN ({marks(connection, len(ids))})",
        (account_id, *ids),
    )
    return {r[0]: Row(*r) for r in found}


def pulled_json(row: Row) -> str:
    """One record as pull sends it, as JSON text around its stored data.

    Ids are UUIDs and types known words (both checked when pushed), so they
    need no escaping.
    """
    device = "null" if row.origin_device_id is None else f'"{row.origin_device_id}"'
    return (
        f'{{"id":"{row.id}","type":"{row.type}","version":{row.version},'
        f'"deleted":{"true" if row.deleted else "false"},'
        f'"data":{"null" if row.data is None else row.data},'
        f'"server_updated_at":"{timestamp(row.server_updated_at)}","device_id":{device}}}'
    )
