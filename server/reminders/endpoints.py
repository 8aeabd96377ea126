"""Where this server sends a push: only to the browsers' push services.

A subscription's endpoint is a URL the browser gave, so anyone with an account
chooses where this server sends a request. The host must be a push service's when
the subscription is stored, and when it is sent to, the host's addresses must all
be public ones (DNS can change); the send then connects to the very address that
was checked (webpush.py), follows no redirect, keeps one deadline and reads no more
than a few KiB of any answer.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

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
