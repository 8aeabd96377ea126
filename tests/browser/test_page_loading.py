"""A page's code arrives in one round trip: the server names every module a page
imports (modulepreload), and what waits for a tap or for stored data stays away."""

import re

import pytest
from playwright.sync_api import Page

PAGES = ["/", "/workout", "/history", "/settings", "/summary", "/about", "/exercises/knee-rolls"]
# Loaded only when a tap or stored data asks for them, never on a first visit.
LATER = [
    "js/workout/duration.js",  # on /, the estimate at the user's pace, once there are logs
    "js/sync/sync.js",  # the sync engine, once sync is on (Settings turns it on)
    "js/sync/push.js",
    "js/vendor/qrcode.js",  # with the first pairing code
    "js/lib/notices.js",  # with the first notice
    "js/data/import.js",  # with a file to import
    "js/data/export.js",
]


def plain(url: str) -> str:
    """/static/js/lib/db.1a2b3c4d5e6f.js -> js/lib/db.js"""
    return re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.split("/static/", 1)[1])


@pytest.mark.parametrize("path", PAGES)
def test_a_first_visit_loads_only_the_modules_its_page_names(
    page: Page, base_url: str, path: str
) -> None:
    scripts: list[str] = []
    page.on(
        "request",
        lambda r: (
            scripts.append(r.url) if r.resource_type == "script" and "/static/" in r.url else None
        ),
    )
    page.goto(base_url + path, wait_until="networkidle")
    named = page.evaluate(
        """() => [...document.querySelectorAll('script[type=module], link[rel=modulepreload]')]
            .map((e) => e.src || e.href)"""
    )
    assert named, path
    # Everything the page ran before going quiet was named up front: nothing waited
    # for its importer to arrive before it was asked for.
    assert sorted(set(scripts)) == sorted(set(named)), path
    loaded = {plain(url) for url in scripts}
    assert "js/main.js" in loaded
    # /workout shows the same estimate as /, with its own plan; Settings turns sync on.
    needed = {"/workout": {"js/workout/duration.js"}, "/settings": {"js/sync/sync.js"}}
    later = set(LATER) - needed.get(path, set())
    assert not loaded & later, (path, sorted(loaded & later))
