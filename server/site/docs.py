"""API reference at /docs, rendered from the OpenAPI document (no CDN, no script)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .pages import render

router = APIRouter(include_in_schema=False)


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten the OpenAPI paths into a list the template can show."""
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "responses": sorted(op.get("responses", {}).items()),
                }
            )
    return found


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """List every endpoint of the API, with a link to the OpenAPI document."""
    return render(request, "docs.html", operations=operations(request.app.openapi()))
