"""The codes a person reads or types: recovery codes and pairing codes (hashed with
`tokens.digest` like the tokens)."""

import re
import secrets
import uuid

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_id() -> str:
    return str(uuid.uuid4())


def _code(chars: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(chars))


def _grouped(code: str, size: int = 4) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def new_pairing_code() -> str:
    """10 characters, 50 random bits, shown as K7QM-4XZP-9D."""
    return _grouped(_code(10))


def new_recovery_code() -> str:
    """26 characters, 130 random bits, shown in groups of four."""
    return _grouped(_code(26))


def normalize_code(code: str) -> str:
    """Read a code as typed: any case, spaces or dashes, confusable letters fixed."""
    cleaned = re.sub(r"[\s-]", "", code.upper()).translate(_CONFUSABLE)
    return cleaned
