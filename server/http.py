"""HTTP answers every feature sends: pre-encoded bodies with ETags, and no-store."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

# Answers with account data: never kept by a cache, the browser's included.
NO_STORE = {"Cache-Control": "no-store"}


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


def send_json(
    request: Request,
    encoded: Encoded,
    media_type: str = "application/json",
    language: str | None = None,
) -> Response:
    """Answer a pre-encoded body: 304 on a matching ETag, gzip when the client takes it.

    Revalidated on every use (no-cache), so a new release is seen at once. With a
    language, the answer says it (Content-Language) and varies by the request's.
    """
    headers = {"ETag": encoded.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if language:
        headers["Content-Language"] = language
        headers["Vary"] = "Accept-Encoding, Accept-Language"
    if etag_matches(request, encoded.etag):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(encoded.gzipped, media_type=media_type, headers=headers)
    return Response(encoded.body, media_type=media_type, headers=headers)


def etag_matches(request: Request, etag: str) -> bool:
    """Tell whether If-None-Match names this ETag (a list, weak or strong)."""
    header = request.headers.get("if-none-match", "")
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
