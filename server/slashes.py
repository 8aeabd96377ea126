"""Trailing-slash redirects that name a path, never a host.

Starlette's router answers `/workout/` with a redirect to an absolute URL built
from the request's Host header: `Host: evil.example` got
`Location: http://evil.example/workout`, which a cache in front could hand to
everyone. Behind a language prefix it also lost the prefix (`/es/workout/` went
to `/workout`). Here the router's own redirect is off, and a path that matches a
route once its trailing slash is added or taken off is sent there with a
relative Location: the same origin, whatever the Host header says, and the
same language.
"""

from starlette.responses import RedirectResponse
from starlette.routing import Match, Router
from starlette.types import Receive, Scope, Send


def relative_slash_redirects(router: Router) -> None:
    """Replace `router`'s slash redirects with relative ones (before its 404)."""
    router.redirect_slashes = False
    not_found = router.default

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        location = other_slash(router, scope) if scope["type"] == "http" else None
        if location is None:
            await not_found(scope, receive, send)
            return
        await RedirectResponse(location, status_code=307)(scope, receive, send)

    router.default = default


def other_slash(router: Router, scope: Scope) -> str | None:
    """The relative address of the route this path names give or take a final slash."""
    path: str = scope["path"]
    if path == "/":
        return None
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    probe = {**scope, "path": other}
    if not other or not any(route.matches(probe)[0] is not Match.NONE for route in router.routes):
        return None
    language = scope.get("language")  # set by LanguagePrefixMiddleware for /es/…, /de/…
    location = (f"/{language}" if language else "") + other
    # One leading slash: "//host/…" would be another origin to a browser.
    location = "/" + location.lstrip("/")
    query = scope.get("query_string", b"").decode("latin-1")
    return location + (f"?{query}" if query else "")
