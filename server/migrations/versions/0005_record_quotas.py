"""Records in their strict form, and what each account stores, for the quotas.

- Record ids in lower case: the same UUID written in capitals was a second
  record. Where both forms exist, the one changed last keeps the id (with a
  version and change number past all of them, so every device pulls it); each
  other one that holds different data stays, under a new id, as a new record;
  tombstones and identical copies go. Nothing anyone wrote is lost.
- Session times in their one canonical UTC text (2026-11-24T07:30:00Z, with
  milliseconds when not zero), as pushes store them from now on; a time that
  cannot be read as a date and time with an offset is left as it is.
- `accounts.record_count` and `record_bytes`, counted from the records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAGE = 500
COLUMNS = "account_id, id, version, data, change_seq"
# The UTF-8 bytes of a record's data, as the server counts them.
SIZE = {"postgresql": "octet_length(data)", "sqlite": "length(CAST(data AS BLOB))"}


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("record_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("record_bytes", sa.BigInteger(), nullable=False, server_default="0")
        )
    connection = op.get_bind()
    lower_ids(connection)
    canonical_times(connection)
    size = SIZE[connection.dialect.name]
    connection.execute(
        sa.text(
            "UPDATE accounts SET"  # noqa: S608 (SIZE holds no values)
            " record_count = (SELECT count(*) FROM records r WHERE r.account_id = accounts.id),"
            f" record_bytes = (SELECT coalesce(sum({size}), 0) FROM records r"
            " WHERE r.account_id = accounts.id)"
        )
    )


def lower_ids(connection: sa.Connection) -> None:
    """Give every record id in capitals its lower-case form, merging what collides."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    mixed = connection.execute(
        sa.text(f"SELECT {COLUMNS} FROM records WHERE id <> lower(id)")  # noqa: S608
    )
    for row in mixed:
        groups[(row.account_id, row.id.lower())].append(row)
    counters: dict[str, int] = {}
    for (account, lower), rows in groups.items():
        same = connection.execute(
            sa.text(f"SELECT {COLUMNS} FROM records WHERE account_id = :a AND id = :i"),  # noqa: S608
            {"a": account, "i": lower},
        ).first()
        if same is not None:
            rows.append(same)
        if len(rows) == 1:
            rename(connection, account, rows[0].id, lower)
            continue
        if account not in counters:
            counters[account] = connection.execute(
                sa.text("SELECT change_counter FROM accounts WHERE id = :a"), {"a": account}
            ).scalar_one()
        keeper = max(rows, key=lambda r: r.change_seq)
        for row in rows:
            if row is keeper:
                continue
            if row.data is None or row.data == keeper.data:
                connection.execute(
                    sa.text("DELETE FROM records WHERE account_id = :a AND id = :i"),
                    {"a": account, "i": row.id},
                )
            else:
                counters[account] += 1
                rename(connection, account, row.id, str(uuid.uuid4()), counters[account])
        counters[account] += 1
        connection.execute(
            sa.text(
                "UPDATE records SET id = :new, version = :version, change_seq = :seq"
                " WHERE account_id = :a AND id = :old"
            ),
            {
                "a": account,
                "old": keeper.id,
                "new": lower,
                "version": max(r.version for r in rows) + 1,
                "seq": counters[account],
            },
        )
    for account, counter in counters.items():
        connection.execute(
            sa.text("UPDATE accounts SET change_counter = :c WHERE id = :a"),
            {"a": account, "c": counter},
        )


def rename(
    connection: sa.Connection, account: str, old: str, new: str, seq: int | None = None
) -> None:
    """Move a record to another id (and, for one devices must pull again, a new change number)."""
    moved = ", change_seq = :seq" if seq is not None else ""
    connection.execute(
        sa.text(f"UPDATE records SET id = :new{moved} WHERE account_id = :a AND id = :old"),  # noqa: S608
        {"a": account, "old": old, "new": new, "seq": seq},
    )


def canonical_times(connection: sa.Connection) -> None:
    """Write every session's started_at and ended_at in the canonical text, page by page."""
    after = ("", "")
    while True:
        page = connection.execute(
            sa.text(
                "SELECT account_id, id, data FROM records"
                " WHERE type = 'session' AND data IS NOT NULL"
                " AND (account_id > :a OR (account_id = :a AND id > :i))"
                " ORDER BY account_id, id LIMIT :n"
            ),
            {"a": after[0], "i": after[1], "n": PAGE},
        ).all()
        for row in page:
            text = retimed(row.data)
            if text is not None:
                connection.execute(
                    sa.text("UPDATE records SET data = :d WHERE account_id = :a AND id = :i"),
                    {"d": text, "a": row.account_id, "i": row.id},
                )
        if len(page) < PAGE:
            return
        after = (page[-1].account_id, page[-1].id)


def retimed(text: str) -> str | None:
    """A session's stored text with its times canonical; None when nothing changes."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    changed = False
    for field in ("started_at", "ended_at"):
        value = data.get(field)
        better = canonical_time(value) if isinstance(value, str) else None
        if better is not None and better != value:
            data[field] = better
            changed = True
    if not changed:
        return None
    # The server's canonical text (server/sync/validate.py: canonical()).
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_time(value: str) -> str | None:
    """What an earlier version took as an aware date-time, in the canonical text; else None.

    Those versions also took a lower-case t or z, a space for the T and offsets
    without a colon: all of those are read here, as then.
    """
    try:
        moment = datetime.fromisoformat(value.strip().upper())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    text = utc.replace(tzinfo=None).isoformat(timespec="seconds")
    millis = utc.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def downgrade() -> None:
    # Lower-case ids and canonical times are valid in every earlier version: they stay.
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("record_bytes")
        batch.drop_column("record_count")
