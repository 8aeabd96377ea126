"""A push service on the loopback address, strict as the real ones: it checks the
VAPID JWT (RFC 8292) and decrypts the aes128gcm payload (RFC 8291) with the
subscription's private key, so the tests exercise the whole send path."""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """What a browser keeps for one push subscription: a key pair and a secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


def verify_vapid(header: str, audience: str) -> dict[str, Any]:
    """Check `Authorization: vapid t=<jwt>, k=<key>`; return the JWT's claims."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", header
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = parts["t"], parts["k"]
    signing_input, _, signature = token.rpartition(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    head, claims = (json.loads(unb64url(p)) for p in signing_input.split("."))
    assert head == {"typ": "JWT", "alg": "ES256"}, head
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    claims["key"] = key
    return dict(claims)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    claims: dict[str, Any]
    message: dict[str, Any]


class PushService:
    """Serves POST /push/<name>; answers `status` (201 unless a test says otherwise)."""

    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.received: list[Received] = []
        self.status: dict[str, int] = {}
        self.errors: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    service.receive(self.path, name, headers, body)
                    status = service.status.get(name, 201)
                except Exception as exc:  # a bad request is a failed test, reported
                    service.errors.append(repr(exc))
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscription(self, name: str) -> dict[str, Any]:
        """A new browser's subscription, as PushSubscription.toJSON() gives it."""
        browser = self.browsers[name] = Browser()
        return {
            "endpoint": f"{self.base}/push/{name}",
            "expirationTime": None,
            "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)},
        }

    def receive(self, path: str, name: str, headers: dict[str, str], body: bytes) -> None:
        claims = verify_vapid(headers["authorization"], self.base)
        assert headers["content-encoding"] == "aes128gcm", headers
        assert int(headers["ttl"]) > 0, headers
        browser = self.browsers[name]
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
        )
        self.received.append(Received(path, headers, claims, json.loads(plain)))

    def to(self, name: str) -> list[Received]:
        return [r for r in self.received if r.path.endswith(f"/{name}")]

    def __enter__(self) -> "PushService":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        assert not self.errors, self.errors
