"""The content as served: encoded once at start-up, answered from memory."""

from dataclasses import dataclass

from ..http import Encoded
from .assets import AssetStore
from .content import Routine


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
