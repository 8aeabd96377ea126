"""A device as the app's sync engine behaves (ARCHITECTURE §4-5), for tests that push and pull."""

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx


def session_data(notes: str = "", pain: int | None = 3) -> dict[str, Any]:
    return {
        "routine_id": "spine-five",
        "started_at": "2026-11-24T07:30:00Z",
        "ended_at": "2026-11-24T07:48:10Z",
        "pain_before": pain,
        "pain_after": 2,
        "notes": notes,
        "exercises": [
            {"exercise_id": "knees-to-chest", "reps": 15, "skipped": False},
            {"exercise_id": "knee-rolls", "reps": {"left": 12, "right": 12}, "skipped": False},
        ],
    }


def new_changes(count: int, label: str = "session") -> list[dict[str, Any]]:
    """`count` changes that each create a new session log."""
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "session",
            "base_version": 0,
            "deleted": False,
            "data": session_data(f"{label} {n}"),
        }
        for n in range(count)
    ]


@dataclass
class Local:
    version: int
    deleted: bool
    data: dict[str, Any] | None
    base: dict[str, Any] | None  # the server's data this device last saw


@dataclass
class Device:
    """One device: local records, an outbox and a pull cursor."""

    http: Any  # TestClient or httpx.Client
    token: str
    name: str = "device"
    records: dict[str, Local] = field(default_factory=dict)
    outbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    cursor: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # Local changes, each queued in the outbox (one pending change per record).
    def create(self, data: dict[str, Any], record_id: str | None = None) -> str:
        record_id = record_id or str(uuid.uuid4())
        self.records[record_id] = Local(0, False, copy.deepcopy(data), None)
        self._queue(record_id)
        return record_id

    def edit(self, record_id: str, **changes: Any) -> None:
        local = self.records[record_id]
        assert local.data is not None
        assert not local.deleted
        local.data = {**local.data, **changes}
        self._queue(record_id)

    def delete(self, record_id: str) -> None:
        local = self.records[record_id]
        local.deleted, local.data = True, None
        self._queue(record_id)

    def _queue(self, record_id: str) -> None:
        local = self.records[record_id]
        self.outbox[record_id] = {
            "id": record_id,
            "type": "session",
            "base_version": local.version,
            "deleted": local.deleted,
            "data": copy.deepcopy(local.data),
        }

    def live(self) -> dict[str, dict[str, Any]]:
        return {i: r.data for i, r in self.records.items() if not r.deleted and r.data is not None}

    # The wire.
    def send_push(self, changes: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/api/v1/sync/push", json={"changes": changes}, headers=self.headers)

    def push(self, lose_answer: bool = False) -> list[dict[str, Any]]:
        """Send the outbox; unless the answer is lost, handle every result."""
        sent = [copy.deepcopy(c) for c in self.outbox.values()]
        if not sent:
            return []
        response = self.send_push(sent)
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [r["id"] for r in results] == [c["id"] for c in sent]
        if not lose_answer:
            for change, result in zip(sent, results, strict=True):
                self._settle(change, result)
        return results

    def _settle(self, change: dict[str, Any], result: dict[str, Any]) -> None:
        record_id = change["id"]
        local = self.records[record_id]
        status = result["status"]
        if status in ("applied", "duplicate"):
            local.version = result["version"]
            local.base = copy.deepcopy(change["data"])
            pending = self.outbox.get(record_id)
            if pending == change:
                del self.outbox[record_id]  # leaves only after the server's answer for it
            elif pending is not None:
                pending["base_version"] = result["version"]
        elif status == "conflict":
            self._merge(record_id, result["server"])
        else:
            self.rejected.add(record_id)

    def _merge(self, record_id: str, server: dict[str, Any]) -> None:
        """The device's changed fields over the server's record; a delete wins."""
        local = self.records[record_id]
        if server["deleted"]:
            self.records[record_id] = Local(server["version"], True, None, None)
            self.outbox.pop(record_id, None)
            return
        if local.deleted:
            local.version = server["version"]
            self._queue(record_id)
            return
        base = local.base or {}
        mine = {k: v for k, v in (local.data or {}).items() if base.get(k) != v}
        merged = {**server["data"], **mine}
        self.records[record_id] = Local(
            server["version"], False, merged, copy.deepcopy(server["data"])
        )
        if merged == server["data"]:
            self.outbox.pop(record_id, None)
        else:
            self._queue(record_id)

    def pull(self, lose_answer: bool = False, limit: int = 1000) -> list[dict[str, Any]]:
        """Pull until has_more is false; a lost answer leaves the cursor where it was."""
        seen = []
        while True:
            params: dict[str, Any] = {"limit": limit}
            if self.cursor is not None:
                params["cursor"] = self.cursor
            response = self.http.get("/api/v1/sync/pull", params=params, headers=self.headers)
            assert response.status_code == 200, response.text
            body = response.json()
            if lose_answer:
                return body["changes"]
            for change in body["changes"]:
                self._receive(change)
            seen.extend(body["changes"])
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return seen

    def _receive(self, change: dict[str, Any]) -> None:
        record_id = change["id"]
        if record_id in self.outbox:
            if change["deleted"]:
                self.outbox.pop(record_id)  # a delete wins over the edit waiting here
                self.records[record_id] = Local(change["version"], True, None, None)
            return  # the pending change meets this version at its next push
        local = self.records.get(record_id)
        if local is None or change["version"] > local.version:
            self.records[record_id] = Local(
                change["version"], change["deleted"], change["data"], copy.deepcopy(change["data"])
            )

    def sync(self, rounds: int = 10) -> None:
        """Push and pull until nothing is waiting."""
        for _ in range(rounds):
            self.push()
            self.pull()
            if not self.outbox:
                return
        raise AssertionError(f"{self.name} did not settle: {self.outbox}")


def new_account(http: Any, name: str = "phone") -> tuple[Device, dict[str, Any]]:
    response = http.post("/api/v1/accounts", json={"device_name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return Device(http, body["token"], name), body


def pair(http: Any, device: Device, name: str = "tablet") -> Device:
    code = http.post("/api/v1/pairings", headers=device.headers).json()["code"]
    response = http.post("/api/v1/pairings/redeem", json={"code": code, "device_name": name})
    assert response.status_code == 201, response.text
    return Device(http, response.json()["token"], name)
