"""Pages under a language prefix: /es/workout is /workout, in Spanish.

The prefix is taken off the path before routing and kept in the scope as
"language", so one set of page routes serves every language. The API, the
static files and the service worker have no language in their path.
"""

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from . import SOURCE

UNPREFIXED = ("/api/", "/static/")
COOKIE = "lang"


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
