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
from fastapi.templating import Jinja2Templates

from .. import i18n
from ..http import Encoded, send_json
from ..i18n import Language
from ..i18n.routing import language_of
from ..state import state
from .assets import AssetStore
from .served import ServedContent

router = APIRouter(include_in_schema=False)

PAGES = ["/", "/workout", "/history", "/summary", "/settings", "/about", "/offline"]
# Served to the install sheet only; not worth a place on every device.
NOT_PRECACHED = ("screenshots/",)
# The words of the ES modules, one file per language: cached with their language.
CATALOGS = "i18n/"

LIGHT = {"theme_color": "#f6f4ef", "background_color": "#f6f4ef"}
DARK = {"theme_color": "#15191d", "background_color": "#15191d"}


@dataclass(frozen=True)
class Pwa:
    version: str
    precache: list[str]  # what every language needs
    languages: dict[str, list[str]]  # what each language adds: its pages, content, words
    manifests: dict[str, Encoded]
    worker: Encoded


def manifest(assets: AssetStore, language: Language) -> dict[str, Any]:
    """The web app manifest in one language: names, colours, icons, screenshots.

    One app in every language (the same `id`); it opens in the language it was
    installed from.
    """
    _ = language.translations.gettext
    return {
        "id": "/",
        "name": "Spine Routine",
        "short_name": "Spine",
        "description": _(
            "Five gentle exercises for a stronger back, coached step by step, even with no network."
        ),
        "lang": language.code,
        "dir": "ltr",
        "start_url": language.url("/"),
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
                "label": _("The routine at a glance, with the safety note"),
            },
            {
                "src": assets.url("screenshots/exercise.jpg"),
                "sizes": "390x844",
                "type": "image/jpeg",
                "form_factor": "narrow",
                "label": _("An exercise, step by step with breathing and holds"),
            },
        ],
    }


def precache_list(assets: AssetStore) -> list[str]:
    """Every URL the app needs offline whatever its language: scripts, styles, pictures."""
    files = [a.url for a in assets if not a.name.startswith((*NOT_PRECACHED, CATALOGS))]
    return sorted(files)


def language_list(assets: AssetStore, content: ServedContent, language: Language) -> list[str]:
    """What one language adds offline: its pages, its content, its manifest and words."""
    pages = PAGES + [f"/exercises/{e.id}" for e in content.routine.exercises]
    urls = [language.url(page) for page in pages]
    urls += [f"/api/v1/routine?lang={language.code}", language.url("/manifest.webmanifest")]
    if language.code != i18n.SOURCE:
        urls.append(assets.url(f"{CATALOGS}{language.code}.json"))
    return urls


def _templates_digest(templates_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(
    assets: AssetStore,
    contents: dict[str, ServedContent],
    languages: dict[str, Language],
    templates: dict[str, Jinja2Templates],
    templates_dir: Path,
) -> Pwa:
    """Render the manifests and the worker, and version them."""
    manifests = {code: Encoded.of(manifest(assets, languages[code])) for code in contents}
    precache = precache_list(assets)
    per_language = {
        code: language_list(assets, content, languages[code]) for code, content in contents.items()
    }
    version = hashlib.sha256(
        "\n".join(
            [
                assets.fingerprint(),
                *(content.version for content in contents.values()),
                *(encoded.etag for encoded in manifests.values()),
                _templates_digest(templates_dir),
                _templates_digest(i18n.LOCALES_DIR),
            ]
        ).encode()
    ).hexdigest()[:16]
    worker = (
        templates[i18n.SOURCE]
        .env.get_template("sw.js")
        .render(
            version=version,
            precache=precache,
            languages=per_language,
            source=i18n.SOURCE,
            icon=assets.url("icons/icon-192.png"),
        )
    )
    return Pwa(version, precache, per_language, manifests, Encoded.raw(worker.encode("utf-8")))


@router.get("/manifest.webmanifest")
async def get_manifest(request: Request) -> Response:
    """Send the web app manifest, in the language of its prefix."""
    encoded = state(request).pwa.manifests[language_of(request.scope)]
    return send_json(request, encoded, "application/manifest+json")


@router.get("/sw.js")
async def get_worker(request: Request) -> Response:
    """Send the service worker; revalidated on every check, so updates are seen at once."""
    return send_json(request, state(request).pwa.worker, "text/javascript")
