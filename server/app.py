"""The application factory."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from . import health, i18n, migrate
from .db import make_engine
from .errors import install_error_handlers
from .i18n.routing import LanguagePrefixMiddleware
from .middleware import BodySizeLimitMiddleware, HeadAsGetMiddleware, SecurityHeadersMiddleware
from .reminders import api as reminders
from .reminders.endpoints import PushPolicy
from .reminders.scheduler import Scheduler
from .reminders.webpush import PushKeys
from .settings import Settings
from .site import api, docs, pages, pwa, static_files
from .site.assets import AssetStore
from .site.content import load_routine, load_translation
from .site.served import ServedContent
from .slashes import relative_slash_redirects
from .state import AppState
from .sync import accounts, devices, export
from .sync import api as sync

VERSION = "0.1.0"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database for the life of the process."""
    settings = app.state.settings
    engine = make_engine(settings.database_url)
    app.state.engine = engine
    app.state.schema = migrate.Schema(engine)
    # A database that is down at start must not keep the app (and its offline
    # pages) from serving: /readyz reports it and retries the migrations.
    await run_in_threadpool(app.state.schema.ensure)
    app.state.push_keys = PushKeys(engine)
    stop = asyncio.Event()
    rounds = None
    if settings.reminders_every_seconds:
        scheduler = Scheduler(
            engine,
            app.state.push_keys,
            settings.push_contact,
            languages=app.state.languages,
            policy=PushPolicy.from_settings(settings),
        )
        rounds = asyncio.create_task(scheduler.run(stop, settings.reminders_every_seconds))
    try:
        yield
    finally:
        stop.set()
        if rounds is not None:
            await rounds
        engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; load and check the content now, so bad content stops start-up."""
    settings = settings or Settings()
    static_dir = settings.web_dir / "static"
    assets = AssetStore(static_dir)
    languages = i18n.load_languages()
    routine = load_routine(settings.content_dir, static_dir)
    routines = {
        code: routine
        if code == i18n.SOURCE
        else load_translation(settings.content_dir, static_dir, code, routine)
        for code in languages
    }

    app = FastAPI(
        title="Spine Routine",
        version=VERSION,
        summary="A five-exercise spine routine, and sync for its session logs.",
        lifespan=lifespan,
        docs_url=None,  # /docs is ours: FastAPI's loads Swagger UI from a CDN.
        redoc_url=None,
        # We export no OpenTelemetry; left on, FastAPI looks for providers on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state = AppState()
    app.state.settings = settings
    # The schedule follows the user: a settings record pushed from any device moves
    # every device's push reminders with it.
    app.state.settings_listeners = [reminders.follow_schedule]
    app.state.assets = assets
    app.state.languages = languages
    app.state.contents = {code: ServedContent.build(r, assets) for code, r in routines.items()}
    app.state.content = app.state.contents[i18n.SOURCE]
    templates_dir = settings.web_dir / "templates"
    app.state.templates = {
        code: pages.make_templates(str(templates_dir), assets, language, languages)
        for code, language in languages.items()
    }
    app.state.pwa = pwa.build(
        assets, app.state.contents, languages, app.state.templates, templates_dir
    )

    install_error_handlers(app, html_not_found=pages.not_found_page)
    # First, so the hottest paths are matched before any other route is tried.
    app.router.routes[:0] = api.content_routes
    for router in (
        api.router,
        accounts.router,
        devices.router,
        sync.router,
        export.router,
        reminders.router,
        health.router,
        pages.router,
        pwa.router,
        static_files.router,
        docs.router,
    ):
        app.include_router(router)

    openapi = app.openapi

    def openapi_with_content_routes() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = api.document_content_routes(openapi())
        return app.openapi_schema

    app.openapi = openapi_with_content_routes  # type: ignore[method-assign]
    relative_slash_redirects(app.router)

    # Outermost last: security headers wrap everything, including 413 answers.
    # No GZipMiddleware: JSON and static files are compressed once at start-up,
    # pages as they are rendered.
    app.add_middleware(BodySizeLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(LanguagePrefixMiddleware, codes=tuple(languages))
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)
    return app
