"""Property-based sync: devices of two accounts create, edit and delete sessions,
push and pull in any order, with answers lost and old requests replayed.

Invariants: a version never names two different states; at the end every
device of an account holds exactly what a fresh device pulls from the start;
every session ever created is there once, deleted exactly when some device
deleted it; and no account sees another's records.
"""

import json
import os
import tempfile
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from server.app import create_app
from server.settings import Settings
from tests.conftest import NO_POSTGRES, POSTGRES_URL, fresh_postgres_database
from tests.sync_client import Device, new_account, pair, session_data

DEVICES = [("A", "phone"), ("A", "tablet"), ("A", "laptop"), ("B", "phone"), ("B", "tablet")]
device_index = st.integers(0, len(DEVICES) - 1)
notes = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


def state_of(deleted: bool, data: Any) -> tuple[bool, str]:
    return deleted, json.dumps(data, sort_keys=True)


class SyncMachine(RuleBasedStateMachine):
    database = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.cleanup = ExitStack()
        if self.database == "sqlite":
            folder = self.cleanup.enter_context(tempfile.TemporaryDirectory())
            url = f"sqlite:///{folder}/sync.db"
        else:
            url = self.cleanup.enter_context(fresh_postgres_database())
        self.client = self.cleanup.enter_context(TestClient(create_app(Settings(database_url=url))))
        a_phone, _ = new_account(self.client, "A phone")
        b_phone, _ = new_account(self.client, "B phone")
        self.devices: list[Device] = [
            a_phone,
            pair(self.client, a_phone),
            pair(self.client, a_phone),
            b_phone,
            pair(self.client, b_phone),
        ]
        self.created: dict[str, set[str]] = {"A": set(), "B": set()}
        self.deleted: dict[str, set[str]] = {"A": set(), "B": set()}
        self.states: dict[tuple[str, str, int], tuple[bool, str]] = {}
        self.acked: list[tuple[str, str, int]] = []
        self.sent: list[tuple[int, list[dict[str, Any]]]] = []

    def teardown(self) -> None:
        try:
            self.converge()
        finally:
            self.cleanup.close()

    def account(self, d: int) -> str:
        return DEVICES[d][0]

    def observe(self, account: str, record_id: str, version: int, deleted: bool, data: Any):
        key = (account, record_id, version)
        seen = state_of(deleted, data)
        assert self.states.setdefault(key, seen) == seen, f"version {version} names two states"

    def observe_results(self, account: str, sent: list[dict[str, Any]], results: list[dict]):
        for change, result in zip(sent, results, strict=True):
            if result["status"] in ("applied", "duplicate"):
                self.observe(
                    account, change["id"], result["version"], change["deleted"], change["data"]
                )
                self.acked.append((account, change["id"], result["version"]))
            elif result["status"] == "conflict":
                server = result["server"]
                self.observe(
                    account, server["id"], server["version"], server["deleted"], server["data"]
                )
            else:
                raise AssertionError(f"a valid change was rejected: {result}")

    @rule(d=device_index, text=notes)
    def create(self, d: int, text: str) -> None:
        record_id = self.devices[d].create(session_data(text))
        self.created[self.account(d)].add(record_id)

    @rule(d=device_index, pick=st.integers(0, 99), text=notes, pain=st.none() | st.integers(0, 10))
    def edit(self, d: int, pick: int, text: str, pain: int | None) -> None:
        live = sorted(self.devices[d].live())
        if live:
            self.devices[d].edit(live[pick % len(live)], notes=text, pain_after=pain)

    @rule(d=device_index, pick=st.integers(0, 99), text=notes, lose=st.booleans())
    def edit_and_push(self, d: int, pick: int, text: str, lose: bool) -> None:
        """The common case, made likely: a change, then straight to the server."""
        self.edit(d, pick, text, None)
        self.push(d, lose)

    @rule(d=device_index, pick=st.integers(0, 99))
    def delete(self, d: int, pick: int) -> None:
        live = sorted(self.devices[d].live())
        if live:
            record_id = live[pick % len(live)]
            self.devices[d].delete(record_id)
            self.deleted[self.account(d)].add(record_id)

    @rule(d=device_index, lose=st.booleans())
    def push(self, d: int, lose: bool) -> None:
        sent = [dict(c) for c in self.devices[d].outbox.values()]
        results = self.devices[d].push(lose_answer=lose)
        if sent:
            self.sent.append((d, sent))
            self.observe_results(self.account(d), sent, results)

    @rule(d=device_index, lose=st.booleans())
    def pull(self, d: int, lose: bool) -> None:
        for change in self.devices[d].pull(lose_answer=lose):
            self.observe(
                self.account(d), change["id"], change["version"], change["deleted"], change["data"]
            )

    @precondition(lambda self: bool(self.sent))
    @rule(pick=st.integers(0, 999))
    def replay_an_old_push(self, pick: int) -> None:
        """A request repeated late, out of order: the device never sees the answer."""
        d, sent = self.sent[pick % len(self.sent)]
        response = self.devices[d].send_push(sent)
        assert response.status_code == 200
        self.observe_results(self.account(d), sent, response.json()["results"])

    @invariant()
    def outboxes_hold_one_change_per_record(self) -> None:
        for device in self.devices:
            assert all(change["id"] == key for key, change in device.outbox.items())

    def converge(self) -> None:
        for _ in range(3):
            for device in self.devices:
                device.sync()
        for account in ("A", "B"):
            members = [
                dev for dev, (acc, _) in zip(self.devices, DEVICES, strict=True) if acc == account
            ]
            fresh = Device(self.client, members[0].token, "fresh")
            pulled = fresh.pull(limit=7)
            ids = [c["id"] for c in pulled]
            assert len(ids) == len(set(ids)), "a session is stored twice"
            for change in pulled:
                self.observe(
                    account, change["id"], change["version"], change["deleted"], change["data"]
                )
            server = {c["id"]: c for c in pulled}
            assert set(server) == self.created[account], "a session was lost (or leaked in)"
            assert {i for i, c in server.items() if c["deleted"]} == self.deleted[account]
            for acc, record_id, version in self.acked:
                if acc == account:
                    assert server[record_id]["version"] >= version
            snapshot = {i: (r.version, r.deleted, r.data) for i, r in fresh.records.items()}
            for device in members:
                mine = {i: (r.version, r.deleted, r.data) for i, r in device.records.items()}
                assert mine == snapshot, f"{device.name} did not converge"


SyncMachine.TestCase.settings = settings(
    # `make test-fast` (HYPOTHESIS_PROFILE=fast): a few runs, for the loop while working.
    max_examples=5 if os.environ.get("HYPOTHESIS_PROFILE") == "fast" else 40,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSync = SyncMachine.TestCase


class PostgresSyncMachine(SyncMachine):
    database = "postgresql"


TestSyncOnPostgres = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)(
    PostgresSyncMachine.TestCase
)
