"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).

The server's key pair is made on first start and kept in the database, so every
worker, every container and every restart signs with the same key (a new key
would orphan every subscription the browsers made with the old one).

A subscription's endpoint is a URL the browser gave, so anyone with an account
chooses where this server sends a request. It goes only to the browsers' push
services (PushPolicy): the host must be one of theirs when the subscription is
stored, and when it is sent to, the host's addresses must all be public ones
(DNS can change), and the connection goes to the very address that was checked.
No redirect is followed, the whole send has one deadline, and no more than a
few KiB of any answer is read. pywebpush encrypts; the request is ours (httpcore,
which lets the connection be pinned to the checked address).
"""

import base64
import contextlib
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import SplitResult, urlsplit

import httpcore
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from ..models import PushKey

log = logging.getLogger(__name__)
PUSH_KEYS = PushKey.__table__  # type: ignore[attr-defined]
SEND_DEADLINE = 5.0  # seconds for a whole send: resolve, connect, post, answer
ANSWER_LIMIT = 4096  # bytes of an answer read, at most
# A reminder that cannot be delivered within a few hours is no longer worth showing.
TTL = 4 * 60 * 60
# The browsers' push services: Chrome's (FCM), Firefox's, Safari's, Edge's.
PUSH_SERVICES = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


class InvalidEndpoint(ValueError):
    """An endpoint this server will not send to; the message says why."""


@dataclass(frozen=True)
class PushPolicy:
    """Where pushes may go: the browsers' push services and any named in
    PUSH_SERVICES ("push.example.org", or "*.example.org" for its subdomains);
    with `allow_loopback` (tests), also plain http on the loopback address."""

    services: tuple[str, ...] = PUSH_SERVICES
    allow_loopback: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> "PushPolicy":
        extra = tuple(h.strip().lower() for h in settings.push_services.split(",") if h.strip())
        return cls(PUSH_SERVICES + extra, settings.push_allow_loopback)

    def serves(self, host: str) -> bool:
        return any(
            host.endswith(service[1:]) if service.startswith("*.") else host == service
            for service in self.services
        )

    def check(self, endpoint: str) -> SplitResult:
        """The endpoint, split, if pushes may go there; else raise InvalidEndpoint."""
        if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in endpoint):
            raise InvalidEndpoint("A push endpoint must not contain spaces or control characters.")
        try:
            parts = urlsplit(endpoint)
            port = parts.port
        except ValueError as exc:
            raise InvalidEndpoint("A push endpoint must be a URL with a valid port.") from exc
        host = parts.hostname or ""
        if parts.username is not None or parts.password is not None:
            raise InvalidEndpoint("A push endpoint must not carry a user name or password.")
        if self.allow_loopback and parts.scheme in ("http", "https") and host in LOOPBACK:
            return parts
        if parts.scheme != "https":
            raise InvalidEndpoint("A push subscription's endpoint must be an https URL.")
        if port not in (None, 443):
            raise InvalidEndpoint("A push endpoint must use the https port, 443.")
        if not HOST_NAME.match(host) or _is_address(host):
            raise InvalidEndpoint("A push endpoint must name its host, not an address.")
        if not self.serves(host):
            raise InvalidEndpoint(
                "This push service is not one this server sends to: the browsers' own "
                "(Chrome, Firefox, Safari, Edge) and those in PUSH_SERVICES."
            )
        return parts

    def address(self, parts: SplitResult) -> str:
        """The address to connect to: every address the host has must be public
        (loopback ones for a loopback host, with allow_loopback); raises
        InvalidEndpoint, or OSError when the name does not resolve now."""
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
        loopback = self.allow_loopback and host in LOOPBACK
        for address in addresses:
            mapped = getattr(address, "ipv4_mapped", None) or address
            public = mapped.is_global and not mapped.is_multicast
            if not (mapped.is_loopback if loopback else public):
                raise InvalidEndpoint(f"The push service's host resolves to {address}, not public.")
        if not addresses:
            raise OSError(f"{host} has no address")
        return str(addresses[0])


# Pushes to the browsers' push services only, over https.
BROWSERS_ONLY = PushPolicy()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


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
