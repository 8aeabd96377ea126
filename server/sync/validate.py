"""A push's changes checked before any lock is taken: the envelope of each change,
its record type's data model, its size, and the canonical text it is stored as."""

import json
from typing import Annotated, Any

import orjson
from pydantic import Field, StrictBool, StrictInt, StringConstraints, TypeAdapter, ValidationError

from .records import MODELS, SETTINGS_ID, Strict, stored_form

MAX_CHANGES = 200
MAX_RECORD_BYTES = 64 * 1024
RECORD_ID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Change(Strict):
    # In lower case: the same UUID written in capitals is the same record.
    id: Annotated[str, StringConstraints(pattern=RECORD_ID, to_lower=True)]
    type: Annotated[str, StringConstraints(max_length=40)]
    base_version: Annotated[StrictInt, Field(ge=0)]
    deleted: StrictBool
    data: dict[str, Any] | None = None


def canonical(data: dict[str, Any] | None) -> str | None:
    """The text a record's data is stored as: keys sorted, no spaces, UTF-8 as it is.

    orjson writes exactly what `json.dumps(data, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` writes for every valid record (tested), ten times as fast;
    that text is the one stored since the first version, so a record sent again is
    still known as a duplicate. What orjson cannot write (integers past 64 bits,
    never valid) goes to json.dumps, for the validation to name what is wrong.
    """
    if data is None:
        return None
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rejected(change_id: Any, code: str, message: str) -> dict[str, Any]:
    """A change's rejection, as its result (the id null when the change had none)."""
    safe_id = change_id if isinstance(change_id, str) and len(change_id) <= 100 else None
    return {"id": safe_id, "status": "rejected", "error": {"code": code, "message": message}}


CHANGES = TypeAdapter(list[Change])
DATA_LISTS = {name: TypeAdapter(list[model]) for name, model in MODELS.items()}  # type: ignore[valid-type]


def validate_all(raws: list[Any]) -> list[tuple[Change, str | None] | dict[str, Any]]:
    """Check every change: all at once when all are valid (the usual case, one call
    into pydantic per record type); one by one, each with its own verdict, if not."""
    try:
        changes = CHANGES.validate_python(raws)
    except ValidationError:
        return [validate(raw) for raw in raws]
    texts: dict[int, str] = {}
    for n, change in enumerate(changes):
        if change.type not in MODELS or (change.type == "settings") != (change.id == SETTINGS_ID):
            return [validate(raw) for raw in raws]
        if not change.deleted:
            text = canonical(change.data)
            if text is None or len(text.encode()) > MAX_RECORD_BYTES:
                return [validate(raw) for raw in raws]
            texts[n] = text
    for name, adapter in DATA_LISTS.items():
        picked = [n for n, c in enumerate(changes) if c.type == name and n in texts]
        if not picked:
            continue
        try:
            models = adapter.validate_json(f"[{','.join(texts[n] for n in picked)}]")
        except ValidationError:
            return [validate(raw) for raw in raws]
        for n, model in zip(picked, models, strict=True):
            stored = stored_form(changes[n].data or {}, model)
            if stored is not None:
                text = canonical(stored)
                if text is None or len(text.encode()) > MAX_RECORD_BYTES:
                    return [validate(raw) for raw in raws]
                texts[n] = text
    return [(change, texts.get(n)) for n, change in enumerate(changes)]


def validate(raw: Any) -> tuple[Change, str | None] | dict[str, Any]:
    """Check one change; return it with its canonical data, or its rejection."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    try:
        change = Change.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "change"
        return rejected(raw_id, "invalid_change", f"{where}: {first['msg']}")
    model = MODELS.get(change.type)
    if model is None:
        return rejected(change.id, "unknown_type", f"Unknown record type '{change.type}'.")
    if (change.type == "settings") != (change.id == SETTINGS_ID):
        message = (
            f"The settings record has the id {SETTINGS_ID}."
            if change.type == "settings"
            else f"The id {SETTINGS_ID} is kept for the settings record."
        )
        return rejected(change.id, "invalid_settings_id", message)
    if change.deleted:
        return change, None
    if change.data is None:
        return rejected(change.id, "invalid_data", "A change that is not a delete needs data.")
    text = canonical(change.data)
    assert text is not None
    if len(text.encode()) > MAX_RECORD_BYTES:
        return rejected(change.id, "data_too_large", too_large_message())
    try:
        valid = model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        return rejected(change.id, "invalid_data", f"data.{where}: {first['msg']}")
    stored = stored_form(change.data, valid)
    if stored is not None:
        # A session's times in their canonical text: a little longer, at most.
        text = canonical(stored)
        assert text is not None
        if len(text.encode()) > MAX_RECORD_BYTES:
            return rejected(change.id, "data_too_large", too_large_message())
    return change, text


def too_large_message() -> str:
    return f"A record's data may be at most {MAX_RECORD_BYTES} bytes."
