"""Pages: the right template and context, readable without JavaScript."""

import re

import pytest
from fastapi.testclient import TestClient

PAGES = {
    "/": ("home.html", "Five exercises for a stronger spine"),
    "/exercises/knees-to-chest": ("exercise.html", "Knees to chest"),
    "/workout": ("workout.html", "Workout"),
    "/history": ("history.html", "History"),
    "/settings": ("settings.html", "Settings"),
    "/summary": ("summary.html", "Summary of my back routine"),
    "/about": ("about.html", "About and safety"),
}
TITLES = {"/": "Your routine", "/summary": "Summary for your physiotherapist"}


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "page has no h1"
    return match.group(1).strip()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_its_template_heading_and_navigation(client: TestClient, path: str) -> None:
    template, heading = PAGES[path]
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.template.name == template
    assert h1(response.text) == heading
    title = TITLES.get(path, heading)
    assert re.search(r"<title>(.*?)</title>", response.text, re.S).group(1) == (  # type: ignore[union-attr]
        f"{title} · Spine Routine"
    )
    assert '<html lang="en">' in response.text
    assert '<nav class="tabs" aria-label="Main">' in response.text
    for href in ("/", "/workout", "/history", "/settings", "/about"):
        assert f'href="{href}"' in response.text
    # No inline script or style: the CSP forbids them.
    assert "<script>" not in response.text
    assert " style=" not in response.text
    assert "<style" not in response.text


def test_home_shows_the_routine_at_a_glance(client: TestClient) -> None:
    response = client.get("/")
    routine = response.context["routine"]
    html = response.text
    assert [e.id for e in routine.exercises] == [
        "knees-to-chest",
        "knee-rolls",
        "straight-leg-raise",
        "upper-ab-crunch",
        "opposite-arm-leg-lift",
    ]
    for exercise in routine.exercises:
        assert f'href="/exercises/{exercise.id}"' in html
        assert exercise.name in html
    assert "about 18 minutes" in html
    assert '<a class="button primary big" href="/workout">Start workout</a>' in html
    assert "ask a health professional first" in html
    assert "15 reps" in html
    assert "10 to 12 reps on each side, one side after the other, hold 5 seconds" in html
    assert "12 to 15 reps on each side, switching sides every rep, hold 3 to 5 seconds" in html


def test_current_page_is_marked_in_the_navigation(client: TestClient) -> None:
    html = client.get("/history").text
    assert '<a href="/history" aria-current="page">History</a>' in html
    assert '<a href="/workout">Workout</a>' in html
    exercise = client.get("/exercises/knee-rolls").text
    assert '<a href="/" aria-current="page">Routine</a>' in exercise


def test_exercise_page_shows_steps_breathing_holds_variations_and_cautions(
    client: TestClient,
) -> None:
    response = client.get("/exercises/straight-leg-raise")
    html = response.text
    exercise = response.context["exercise"]
    assert exercise.id == "straight-leg-raise"
    assert response.context["number"] == 3
    steps = re.findall(r"<ol class=\"steps\">(.*?)</ol>", html, re.S)[0]
    items = re.findall(r"<li>(.*?)</li>", steps, re.S)
    assert len(items) == len(exercise.steps)
    for item, step in zip(items, exercise.steps, strict=True):
        assert step.text in item
    assert "Breathe in</span>" in items[1]
    assert "Breathe out</span>" in items[2]
    assert "Hold 5 s" in items[3]
    assert "With an exercise band" in html
    assert "Keep the lifted knee straight." in html
    assert 'href="/exercises/knee-rolls" rel="prev"' in html
    assert 'href="/exercises/upper-ab-crunch" rel="next"' in html


def test_last_exercise_leads_to_the_workout(client: TestClient) -> None:
    html = client.get("/exercises/opposite-arm-leg-lift").text
    assert 'rel="next"' not in html
    assert 'href="/workout">Start workout</a>' in html
    assert "On all fours" in html
    assert "pillow" in html


def test_unknown_exercise_page_is_a_404_page_for_browsers(client: TestClient) -> None:
    response = client.get("/exercises/cartwheel", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.template.name == "not_found.html"
    assert h1(response.text) == "Page not found"


def test_unknown_page_is_a_404_page_for_browsers(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 404
    assert "There is no page at <code>/nowhere</code>" in response.text
    assert response.headers["content-security-policy"]


def test_pages_link_hashed_static_files(client: TestClient) -> None:
    html = client.get("/").text
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "stylesheet is not at a hashed URL"
    assert client.get(css.group(1)).status_code == 200
    pictures = re.findall(r'src="(/static/img/exercises/[a-z-]+\.[0-9a-f]{12}\.svg)"', html)
    assert len(pictures) == 5


def test_pages_are_gzipped_for_browsers(client: TestClient) -> None:
    packed = client.get("/", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.text == plain.text


@pytest.mark.parametrize(
    "path",
    [
        *PAGES,
        "/offline",
        "/healthz",
        "/readyz",
        "/sw.js",
        "/manifest.webmanifest",
        "/api/v1/routine",
    ],
)
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""
