"""HTML pages, rendered by Jinja from the content alone (no user data)."""

import gzip
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import Receive, Scope, Send

from .. import i18n
from ..errors import ApiError, wants_html
from ..i18n import Language
from ..i18n.routing import FollowLanguageRoute, language_of
from ..state import state
from .api import ContentDep
from .assets import AssetStore

# Every page at an unprefixed address opens in the visitor's language (see routing).
router = APIRouter(include_in_schema=False, route_class=FollowLanguageRoute)


def make_templates(
    directory: str, assets: AssetStore, language: Language, languages: dict[str, Language]
) -> Jinja2Templates:
    """Build one language's Jinja environment with the helpers every template uses."""
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(("html", "xml")),
        extensions=["jinja2.ext.i18n"],
    )
    translations = language.translations
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    def minutes(seconds: int) -> str:
        """Say a duration the way a person would: 'about 18 minutes'."""
        mins = max(1, round(seconds / 60))
        return translations.ngettext("about %(num)d minute", "about %(num)d minutes", mins) % {
            "num": mins
        }

    def seconds_range(value: Any) -> str:
        """Say a hold like '5 seconds' or '3 to 5 seconds'."""
        if value.min == value.max:
            return translations.ngettext("%(num)d second", "%(num)d seconds", value.min) % {
                "num": value.min
            }
        return translations.gettext("%(min)d to %(max)d seconds") % {
            "min": value.min,
            "max": value.max,
        }

    env.globals["static"] = assets.url
    env.globals["preloads"] = assets.preloads
    env.globals["lang"] = language.code
    env.globals["url"] = language.url
    env.globals["languages"] = list(languages.values())
    env.globals["catalog"] = (
        None if language.code == i18n.SOURCE else assets.url(f"i18n/{language.code}.json")
    )
    env.filters["minutes"] = minutes
    env.filters["seconds_range"] = seconds_range
    return Jinja2Templates(env=env)


class PageResponse(HTMLResponse):
    """A rendered page that, like Starlette's template response, tells the test
    client which template and context made it."""

    def __init__(
        self,
        html: bytes,
        status: int,
        headers: dict[str, str],
        template: Any,
        context: dict[str, Any],
    ):
        super().__init__(html, status_code=status, headers=headers)
        self.template = template
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "http.response.debug" in scope.get("extensions", {}):
            await send(
                {
                    "type": "http.response.debug",
                    "info": {"template": self.template, "context": self.context},
                }
            )
        await super().__call__(scope, receive, send)


def render(
    request: Request, name: str, status: int = 200, vary: str = "Accept-Encoding", **context: Any
) -> HTMLResponse:
    """Render a page, gzipped when the client takes it; revalidated on every use,
    so a new release shows at once."""
    language = language_of(request.scope)
    templates: Jinja2Templates = state(request).templates[language]
    context.setdefault("routine", state(request).contents[language].routine)
    context["request"] = request
    template = templates.get_template(name)
    html = template.render(context).encode("utf-8")
    headers = {"Cache-Control": "no-cache", "Vary": vary}
    if "gzip" in request.headers.get("accept-encoding", ""):
        html = gzip.compress(html, 6)
        headers["Content-Encoding"] = "gzip"
    return PageResponse(html, status, headers, template, context)


def not_found_page(request: Request) -> HTMLResponse:
    """Say, in a page, that nothing lives at this address."""
    return render(request, "not_found.html", status=404, path=request.url.path)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """Show the routine at a glance, with the safety note and a way to start."""
    return render(request, "home.html")


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(exercise_id: str, request: Request, content: ContentDep) -> HTMLResponse:
    """Show one exercise: steps, breathing, holds, reps, sides, variations, cautions."""
    exercises = content.routine.exercises
    for index, exercise in enumerate(exercises):
        if exercise.id == exercise_id:
            return render(
                request,
                "exercise.html",
                exercise=exercise,
                number=index + 1,
                previous=exercises[index - 1] if index > 0 else None,
                next=exercises[index + 1] if index + 1 < len(exercises) else None,
            )
    if wants_html(request):
        return not_found_page(request)
    raise ApiError(404, "unknown_exercise", f"There is no exercise '{exercise_id}'.")


@router.get("/workout", response_class=HTMLResponse)
def workout(request: Request) -> HTMLResponse:
    """Prepare and run the guided workout."""
    return render(request, "workout.html")


@router.get("/history", response_class=HTMLResponse)
def history(request: Request) -> HTMLResponse:
    """List the sessions saved on this device."""
    return render(request, "history.html")


@router.get("/summary", response_class=HTMLResponse)
def summary(request: Request) -> HTMLResponse:
    """A printable summary of the logs for a physiotherapist (made from this device's data).

    The default range is filled in here, so the date fields do not change size when
    the script sets them (it uses the device's own date, the same but near midnight).
    """
    today = datetime.now(UTC).date()
    return render(request, "summary.html", today=today, start=today - timedelta(days=27))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> HTMLResponse:
    """Show the cues, storage and sync settings."""
    return render(request, "settings.html")


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    """Explain safety and where the routine comes from."""
    return render(request, "about.html")


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request) -> HTMLResponse:
    """Say what still works when a page cannot be reached."""
    return render(request, "offline.html")
