"""Pages under a language prefix: /es/workout is /workout, in Spanish.

The prefix is taken off the path before routing and kept in the scope as
"language", so one set of page routes serves every language. The API, the
static files and the service worker have no language in their path.

A page asked for without a prefix follows the visitor: the language chosen in
the app (a cookie), else the browser's (Accept-Language), else English.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..state import state
from . import SOURCE, negotiate

UNPREFIXED = ("/api/", "/static/")
COOKIE = "lang"
# What an unprefixed page's answer depends on, so no cache serves one for another.
FOLLOWED = "Accept-Language, Cookie"


class LanguagePrefixMiddleware:
    """Route /<lang>/… to the page routes, with scope["language"] set."""

    def __init__(self, app: ASGIApp, codes: tuple[str, ...]):
        self.app = app
        self.codes = frozenset(code for code in codes if code != SOURCE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            head, slash, rest = scope["path"][1:].partition("/")
            if head in self.codes:
                if not slash:
                    # "/es" is the Spanish home page, at "/es/".
                    query = scope.get("query_string", b"").decode("latin-1")
                    target = f"/{head}/" + (f"?{query}" if query else "")
                    await RedirectResponse(target, status_code=308)(scope, receive, send)
                    return
                path = "/" + rest
                if not path.startswith(UNPREFIXED) and path != "/sw.js":
                    scope = {**scope, "path": path, "raw_path": path.encode(), "language": head}
        await self.app(scope, receive, send)


def language_of(scope: Scope) -> str:
    """The language of a request's page: its prefix, else English."""
    language: str = scope.get("language", SOURCE)
    return language


def preferred_language(request: Request, codes: tuple[str, ...]) -> str:
    """The language a visitor wants: chosen in the app, else the browser's, else English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in codes:
        return chosen
    return negotiate(request.headers.get("accept-language", ""), codes) or SOURCE


def language_redirect(request: Request) -> Response | None:
    """Send a navigation to an unprefixed page on to the visitor's language, or None.

    Only navigations are sent on: the service worker fetches the English pages
    as they are, to precache them. The target is a path of ours, never built
    from the Host header, and keeps the query.
    """
    if language_of(request.scope) != SOURCE:
        return None
    if request.headers.get("sec-fetch-mode", "navigate") != "navigate":
        return None
    languages = state(request).languages
    target = preferred_language(request, tuple(languages))
    if target == SOURCE:
        return None
    # raw_path keeps the path as it was sent, percent-escapes and all.
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    query = request.url.query
    location = languages[target].url(path) + (f"?{query}" if query else "")
    headers = {"Cache-Control": "no-cache", "Vary": f"Accept-Encoding, {FOLLOWED}"}
    return RedirectResponse(location, status_code=302, headers=headers)


class FollowLanguageRoute(APIRoute):
    """A page route whose unprefixed address follows the visitor's language.

    A Spanish browser following a link to /workout lands on /es/workout; a
    cookie saying English, or an English browser, stays on /workout.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def follow(request: Request) -> Response:
            redirect = language_redirect(request)
            if redirect is not None:
                return redirect
            response = await handler(request)
            if language_of(request.scope) == SOURCE:
                response.headers.add_vary_header(FOLLOWED)
            return response

        return follow
