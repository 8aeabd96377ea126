"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).

The server's key pair is made on first start and kept in the database, so every
worker, every container and every restart signs with the same key (a new key
would orphan every subscription the browsers made with the old one).

Where a push may go is endpoints.py's to say; the request is pinned to the address
it checked. pywebpush encrypts; the request is ours (httpcore,
which lets the connection be pinned to the checked address).
"""

import base64
import contextlib
import json
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from ..models import PushKey
from .endpoints import BROWSERS_ONLY, InvalidEndpoint, PushPolicy

log = logging.getLogger(__name__)
PUSH_KEYS = PushKey.__table__  # type: ignore[attr-defined]
SEND_DEADLINE = 5.0  # seconds for a whole send: resolve, connect, post, answer
ANSWER_LIMIT = 4096  # bytes of an answer read, at most
# A reminder that cannot be delivered within a few hours is no longer worth showing.
TTL = 4 * 60 * 60


def check_p256dh(raw: bytes) -> None:
    """Raise ValueError unless `raw` is an uncompressed point on P-256."""
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


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
    refused: bool = False  # the endpoint is not one pushes may go to: forget it

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """The subscription no longer exists (or may not be sent to): forget it."""
        return self.refused or self.status in (404, 410)

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
    subscription: dict[str, Any],
    message: dict[str, Any],
    keys: KeyPair,
    contact: str,
    policy: PushPolicy = BROWSERS_ONLY,
) -> Delivery:
    """Encrypt `message` for the subscription and post it to its push service."""
    endpoint = subscription["endpoint"]
    try:
        parts = policy.check(endpoint)
        address = policy.address(parts)
    except InvalidEndpoint as exc:
        log.warning("push endpoint refused: %s", exc)
        return Delivery(None, refused=True)
    except OSError as exc:
        log.warning("push service not found: %s", exc)
        return Delivery(None)
    body = WebPusher(subscription).encode(json.dumps(message, ensure_ascii=False).encode())["body"]
    claims = {
        "sub": contact,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 60 * 60,
    }
    headers = {
        "TTL": str(TTL),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        # A newer reminder replaces one still waiting for the device.
        "Topic": "reminder",
        "Urgency": "normal",
        **keys.vapid().sign(claims),
    }
    return post(endpoint, address, headers, body)


@dataclass
class _Pinned(httpcore.SyncBackend):
    """Connects to the address that was checked, whatever the name resolves to
    now (TLS still checks the certificate against the name); keeps each socket
    so the deadline can cut it."""

    address: str
    sockets: list[socket.socket] = field(default_factory=list)
    cut: bool = False

    def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(self.address, port, *args, **kwargs)
        self.sockets.append(stream.get_extra_info("socket"))
        if self.cut:
            self.close_all()
        return stream

    def close_all(self) -> None:
        self.cut = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def post(url: str, address: str, headers: dict[str, str], body: bytes) -> Delivery:
    """POST `body` to `url` at `address`; at most SEND_DEADLINE seconds in all,
    no redirect followed, at most ANSWER_LIMIT bytes of the answer read."""
    backend = _Pinned(address)
    pool = httpcore.ConnectionPool(
        ssl_context=ssl.create_default_context(), network_backend=backend, retries=0
    )
    deadline = threading.Timer(SEND_DEADLINE, backend.close_all)
    deadline.start()
    timeout = {
        "connect": SEND_DEADLINE,
        "read": SEND_DEADLINE,
        "write": SEND_DEADLINE,
        "pool": SEND_DEADLINE,
    }
    try:
        with pool.stream(
            "POST",
            url,
            headers=list(headers.items()),
            content=body,
            extensions={"timeout": timeout},
        ) as response:
            read = 0
            for chunk in response.iter_stream():
                read += len(chunk)
                if read >= ANSWER_LIMIT:
                    break
            status = response.status
            asked = dict((k.decode().lower(), v.decode("latin-1")) for k, v in response.headers)
    except (
        httpcore.TimeoutException,
        httpcore.NetworkError,
        httpcore.ProtocolError,
        ssl.SSLError,
        OSError,
    ) as exc:
        log.warning("push service did not answer in time or broke off: %r", exc)
        return Delivery(None)
    finally:
        deadline.cancel()
        pool.close()
    if backend.cut:
        log.warning("push service took longer than %s s", SEND_DEADLINE)
        return Delivery(None)
    log.info("push service answered %s", status)
    return Delivery(status, retry_after(asked.get("retry-after"), _now()))


def _now() -> datetime:
    return datetime.now(UTC)
