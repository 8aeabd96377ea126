"""Pairing codes name the device that made them, so they die with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to a table in place, so the
    # (small, short-lived) table is copied; PostgreSQL alters it.
    with op.batch_alter_table("pairing_codes") as batch:
        batch.add_column(sa.Column("device_id", sa.String(36), nullable=True))
        batch.create_foreign_key(
            "fk_pairing_codes_device_id", "devices", ["device_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("pairing_codes") as batch:
        batch.drop_constraint("fk_pairing_codes_device_id", type_="foreignkey")
        batch.drop_column("device_id")
