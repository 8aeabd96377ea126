"""What the app keeps for the life of the process, typed: built once by the factory
(content, pages, assets), or at start-up by the lifespan (the database)."""

from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.datastructures import State
from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

    from .i18n import Language
    from .migrate import Schema
    from .reminders.webpush import PushKeys
    from .settings import Settings
    from .site.assets import AssetStore
    from .site.pwa import Pwa
    from .site.served import ServedContent
    from .sync.api import SettingsListener


class AppState(State):
    """`app.state`, with its attributes named and typed (Starlette's State takes any)."""

    settings: "Settings"
    assets: "AssetStore"
    languages: "dict[str, Language]"
    # The content in each language, encoded once; `content` is the source language's.
    contents: "dict[str, ServedContent]"
    content: "ServedContent"
    templates: "dict[str, Jinja2Templates]"
    pwa: "Pwa"
    # Told of every push that changes the settings record (reminders follow it).
    settings_listeners: "list[SettingsListener]"
    # Set by the lifespan, once the process starts serving.
    engine: Engine
    schema: "Schema"
    push_keys: "PushKeys"


def state(connection: HTTPConnection) -> AppState:
    """The app's state, typed, from a request."""
    found: AppState = connection.app.state
    return found
