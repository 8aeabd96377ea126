"""The content as served: encoded once at start-up, answered from memory."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .assets import AssetStore
from .content import Routine


@dataclass(frozen=True)
class Encoded:
    """A body with its gzip form and a strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, payload: Any) -> "Encoded":
        """Encode a JSON payload compactly."""
        return cls.raw(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())

    @classmethod
    def raw(cls, body: bytes) -> "Encoded":
        """Wrap bytes that are already encoded."""
        tag = hashlib.sha256(body).hexdigest()[:16]
        return cls(body, gzip.compress(body, 9, mtime=0), f'"{tag}"')


@dataclass(frozen=True)
class ServedContent:
    """The routine and each exercise, ready to send; `version` names this content."""

    routine: Routine
    version: str
    routine_json: Encoded
    exercises_json: dict[str, Encoded]

    @classmethod
    def build(cls, routine: Routine, assets: AssetStore) -> "ServedContent":
        payload = routine.model_dump(mode="json")
        for exercise in payload["exercises"]:
            # Hashed picture URLs: cached for a year, and a new picture is a new URL.
            exercise["illustration"] = assets.url(exercise["illustration"].removeprefix("/static/"))
        routine_json = Encoded.of(payload)
        version = routine_json.etag.strip('"')
        exercises = {e["id"]: Encoded.of(e) for e in payload["exercises"]}
        return cls(routine, version, routine_json, exercises)
