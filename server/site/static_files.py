"""Serve the in-memory static files: hashed URLs immutable, plain ones revalidated."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import ApiError
from ..http import etag_matches
from ..state import state

router = APIRouter(include_in_schema=False)

IMMUTABLE = "public, max-age=31536000, immutable"


@router.get("/static/{path:path}")
async def static_file(path: str, request: Request) -> Response:
    """Send one static file, gzipped when the client takes it."""
    assets = state(request).assets
    found = assets.find(path)
    if found is None:
        raise ApiError(404, "not_found", f"There is no static file '{path}'.")
    asset, hashed = found
    headers = {
        "ETag": asset.etag,
        "Cache-Control": IMMUTABLE if hashed else "no-cache",
        "Vary": "Accept-Encoding",
    }
    if etag_matches(request, asset.etag):
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        body = asset.gzipped
    return Response(body, headers=headers, media_type=asset.media_type)
