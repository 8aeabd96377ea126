"""HTML pages, rendered by Jinja from the content alone (no user data)."""

import gzip
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from ..errors import ApiError, wants_html
from .api import ContentDep

router = APIRouter(include_in_schema=False)

NAV = (
    ("/", "Routine"),
    ("/workout", "Workout"),
    ("/history", "History"),
    ("/settings", "Settings"),
)


def minutes(seconds: int) -> str:
    """Say a duration the way a person would: 'about 18 minutes'."""
    mins = max(1, round(seconds / 60))
    return f"about {mins} minute{'s' if mins != 1 else ''}"


def seconds_range(value: Any) -> str:
    """Say a hold like '5 seconds' or '3 to 5 seconds'."""
    if value.min == value.max:
        return f"{value.min} seconds"
    return f"{value.min} to {value.max} seconds"


def make_templates(directory: str, static_url: Any) -> Jinja2Templates:
    """Build the Jinja environment with the helpers every template uses."""
    templates = Jinja2Templates(directory=directory)
    env = templates.env
    env.globals["static"] = static_url
    env.globals["nav"] = NAV
    env.filters["minutes"] = minutes
    env.filters["seconds_range"] = seconds_range
    return templates


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


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page, gzipped when the client takes it; revalidated on every use,
    so a new release shows at once."""
    templates: Jinja2Templates = request.app.state.templates
    context.setdefault("routine", request.app.state.content.routine)
    context["request"] = request
    template = templates.get_template(name)
    html = template.render(context).encode("utf-8")
    headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
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
