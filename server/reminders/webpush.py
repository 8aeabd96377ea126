"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), via pywebpush.

The server's key pair is made on first start and kept in the database, so every
worker, every container and every restart signs with the same key (a new key
would orphan every subscription the browsers made with the old one).
"""

import base64
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from ..models import PushKey

log = logging.getLogger(__name__)
PUSH_KEYS = PushKey.__table__  # type: ignore[attr-defined]
SEND_TIMEOUT = 10.0  # seconds
# A reminder that cannot be delivered within a few hours is no longer worth showing.
TTL = 4 * 60 * 60


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_key: str  # base64url of the uncompressed point: the browser's applicationServerKey

    @classmethod
    def new(cls) -> "KeyPair":
        private = ec.generate_private_key(ec.SECP256R1())
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        point = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return cls(pem, b64url(point))

    def vapid(self) -> Vapid:
        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        assert isinstance(private, ec.EllipticCurvePrivateKey)
        return Vapid(private_key=private)


class PushKeys:
    """The server's VAPID key pair: read from the database, or made once and stored."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._pair: KeyPair | None = None
        self._lock = threading.Lock()

    def get(self) -> KeyPair:
        with self._lock:
            if self._pair is None:
                self._pair = self._load_or_make()
            return self._pair

    def _load_or_make(self) -> KeyPair:
        query = select(PUSH_KEYS.c.private_pem, PUSH_KEYS.c.public_key).where(PUSH_KEYS.c.id == 1)
        with self.engine.begin() as connection:
            row = connection.execute(query).first()
            if row is not None:
                return KeyPair(row.private_pem, row.public_key)
        pair = KeyPair.new()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(PUSH_KEYS).values(
                        id=1,
                        private_pem=pair.private_pem,
                        public_key=pair.public_key,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:  # another worker made one first: use theirs
            with self.engine.begin() as connection:
                row = connection.execute(query).one()
            return KeyPair(row.private_pem, row.public_key)
        return pair


@dataclass(frozen=True)
class Delivery:
    """What a push service answered: its status (None when it did not answer)."""

    status: int | None
    retry_after: float | None = None  # seconds, from a 429 or 503

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """The subscription no longer exists: forget it."""
        return self.status in (404, 410)

    @property
    def retry(self) -> bool:
        """Worth trying again later (with backoff)."""
        return self.status is None or self.status == 429 or self.status >= 500


def retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After in seconds, from delta-seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


def send(
    subscription: dict[str, Any], message: dict[str, Any], keys: KeyPair, contact: str
) -> Delivery:
    """Encrypt `message` for the subscription and post it to its push service."""
    try:
        response = webpush(
            subscription,
            json.dumps(message, ensure_ascii=False),
            vapid_private_key=keys.vapid(),
            vapid_claims={"sub": contact},
            ttl=TTL,
            timeout=SEND_TIMEOUT,
            # A newer reminder replaces one still waiting for the device.
            headers={"Topic": "reminder", "Urgency": "normal"},
        )
    except WebPushException as exc:
        if exc.response is None:
            log.warning("push failed before an answer: %s", exc)
            return Delivery(None)
        status = exc.response.status_code
        log.info("push service answered %s", status)
        return Delivery(status, retry_after(exc.response.headers.get("Retry-After"), _now()))
    except requests.RequestException as exc:
        log.warning("push service unreachable: %s", exc)
        return Delivery(None)
    assert not isinstance(response, str)
    return Delivery(response.status_code)


def _now() -> datetime:
    return datetime.now(UTC)
