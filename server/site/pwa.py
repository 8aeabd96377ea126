"""What makes the app installable and offline: the manifest and the service worker.

The worker is rendered once at start-up with the precache list and a version
derived from every precached file, the content and the page templates, so any
change to what the app shows yields a new worker and reaches users.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2 import Environment

from .api import send_json
from .assets import AssetStore
from .served import Encoded, ServedContent

router = APIRouter(include_in_schema=False)

PAGES = ["/", "/workout", "/history", "/summary", "/settings", "/about", "/offline"]
# Served to the install sheet only; not worth a place on every device.
NOT_PRECACHED = ("screenshots/",)

LIGHT = {"theme_color": "#f6f4ef", "background_color": "#f6f4ef"}
DARK = {"theme_color": "#15191d", "background_color": "#15191d"}


@dataclass(frozen=True)
class Pwa:
    version: str
    precache: list[str]
    manifest: Encoded
    worker: Encoded


def manifest(assets: AssetStore) -> dict[str, Any]:
    """The web app manifest: names, colours, icons and install-sheet screenshots."""
    return {
        "id": "/",
        "name": "Spine Routine",
        "short_name": "Spine",
        "description": "Five gentle exercises for a stronger back, coached step by step, "
        "even with no network.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "categories": ["health", "fitness"],
        **LIGHT,
        # Dark colours for browsers that read them; the theme-color meta tags
        # in every page carry both schemes as well.
        "user_preferences": {"color_scheme_dark": DARK},
        "icons": [
            {
                "src": assets.url("icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": assets.url("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": assets.url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": assets.url("icons/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
        ],
        "screenshots": [
            {
                "src": assets.url("screenshots/home.jpg"),
                "sizes": "390x844",
                "type": "image/jpeg",
                "form_factor": "narrow",
                "label": "The routine at a glance, with the safety note",
            },
            {
                "src": assets.url("screenshots/exercise.jpg"),
                "sizes": "390x844",
                "type": "image/jpeg",
                "form_factor": "narrow",
                "label": "An exercise, step by step with breathing and holds",
            },
        ],
    }


def precache_list(assets: AssetStore, content: ServedContent) -> list[str]:
    """Every URL the app needs offline."""
    pages = PAGES + [f"/exercises/{e.id}" for e in content.routine.exercises]
    files = [a.url for a in assets if not a.name.startswith(NOT_PRECACHED)]
    return [*pages, "/api/v1/routine", "/manifest.webmanifest", *sorted(files)]


def _templates_digest(templates_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(assets: AssetStore, content: ServedContent, env: Environment, templates_dir: Path) -> Pwa:
    """Render the manifest and the worker, and version them."""
    encoded_manifest = Encoded.of(manifest(assets))
    precache = precache_list(assets, content)
    version = hashlib.sha256(
        "\n".join(
            [
                assets.fingerprint(),
                content.version,
                encoded_manifest.etag,
                _templates_digest(templates_dir),
            ]
        ).encode()
    ).hexdigest()[:16]
    worker = env.get_template("sw.js").render(
        version=version, precache=precache, icon=assets.url("icons/icon-192.png")
    )
    return Pwa(version, precache, encoded_manifest, Encoded.raw(worker.encode("utf-8")))


@router.get("/manifest.webmanifest")
async def get_manifest(request: Request) -> Response:
    """Send the web app manifest."""
    return send_json(request, request.app.state.pwa.manifest, "application/manifest+json")


@router.get("/sw.js")
async def get_worker(request: Request) -> Response:
    """Send the service worker; revalidated on every check, so updates are seen at once."""
    return send_json(request, request.app.state.pwa.worker, "text/javascript")
