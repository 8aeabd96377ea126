"""Pure ASGI middleware: security headers on every answer, and a body size limit."""

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "x-frame-options": "DENY",
}


# A script, a style sheet, a catalog or a raster image under /static/ is never
# shown as a document nor run as a worker (the worker is /sw.js), so the headers
# that govern documents (CSP, framing, the opener, permissions) do nothing on it;
# dropped, they save about 450 bytes on each of the thirty-odd files of a first
# visit. An SVG can be opened as a document, so it keeps them all.
SUBRESOURCE_HEADERS = {
    name: SECURITY_HEADERS[name]
    for name in ("x-content-type-options", "referrer-policy", "cross-origin-resource-policy")
}
_DOCUMENT_LIKE = (".svg", ".html", ".webmanifest")


def is_subresource(path: str) -> bool:
    """True for a static file that no browser treats as a document or a worker."""
    return path.startswith("/static/") and not path.endswith(_DOCUMENT_LIKE)


# Sent when the public origin is https (PUBLIC_URL): browsers then refuse plain
# http to it, and its subdomains, for a year.
HSTS = "max-age=31536000; includeSubDomains"


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


class SecurityHeadersMiddleware:
    """Add the security headers of ARCHITECTURE §6 to every HTTP answer
    (to a static subresource, the three that apply to it).

    No route sets these itself, so they are appended as raw pairs: this runs on
    every request, and building a header map each time would cost more than
    the rest of a cached JSON answer.
    """

    def __init__(self, app: ASGIApp, hsts: bool = False):
        self.app = app
        extra = {"strict-transport-security": HSTS} if hsts else {}
        self.headers = _raw({**SECURITY_HEADERS, **extra})
        self.subresource_headers = _raw({**SUBRESOURCE_HEADERS, **extra})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self.subresource_headers if is_subresource(scope["path"]) else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGetMiddleware:
    """Answer HEAD as GET without the body, for every route (FastAPI routes take
    only the methods they declare; monitors and proxies send HEAD)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class BodyTooLarge(HTTPException):
    """Raised inside receive() when a body outgrows the limit.

    An HTTPException, because FastAPI turns any other error raised while it
    reads a body into a 400; this one it lets through to the error handlers.
    """

    def __init__(self, limit: int):
        super().__init__(413, f"The request body is larger than the limit of {limit} bytes.")


class BodySizeLimitMiddleware:
    """Refuse request bodies over `limit` bytes with 413, chunked ones included.

    A declared Content-Length over the limit is refused before reading; a body
    without one is counted as it streams in, so a chunked upload cannot get
    past the limit either.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = chunked = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = value
        if declared is None and chunked is None:
            # No length and no chunked coding: HTTP/1.1 says there is no body.
            await self.app(scope, receive, send)
            return
        if declared is not None:
            if not declared.isdigit():
                await self._refuse(send, 400, "bad_request", "Content-Length is not a number.")
                return
            if int(declared) > self.limit:
                await self._refuse_too_large(send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse_too_large(send)

    async def _refuse_too_large(self, send: Send) -> None:
        message = f"The request body is larger than the limit of {self.limit} bytes."
        await self._refuse(send, 413, "payload_too_large", message)

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
