"""The app in Spanish and German, in real Chromium: a phone set to a language
opens in it, works offline in it, speaks it, and keeps the user's choice."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.i18n import load_languages
from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    READ_SETTINGS,
    SPIES,
    run_until,
    stores,
    wait_for_control,
    wait_until,
)
from tests.browser.test_pages import assert_accessible
from tests.conftest import ROOT
from tests.test_i18n import ENGLISH

GETTEXT = {code: language.translations.gettext for code, language in load_languages().items()}
SCRIPTS = {
    code: json.loads((ROOT / "web" / "static" / "i18n" / f"{code}.json").read_text("utf-8"))
    for code in ("es", "de")
}
CONTENT = {
    code: json.loads((ROOT / "content" / code / "routine.json").read_text("utf-8"))
    for code in ("es", "de")
}
EXERCISE_NAMES = {
    code: [
        json.loads((ROOT / "content" / code / "exercises" / f"{e}.json").read_text("utf-8"))["name"]
        for e in CONTENT[code]["exercises"]
    ]
    for code in ("es", "de")
}


def tr(lang: str, english: str, **params: Any) -> str:
    """The words a page in `lang` shows for an English string (template or script)."""
    if english in SCRIPTS[lang]:
        text = SCRIPTS[lang][english]
        return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), text)
    translated = GETTEXT[lang](english)
    assert translated != english, f"no {lang} words for {english!r}"
    return translated % params if params else translated


@pytest.fixture
def phone(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A new phone set to a language (the test's `locale` param), with speech spies."""
    locale = getattr(request, "param", "es-ES")
    context = browser.new_context(locale=locale, viewport=PHONE, has_touch=True)
    context.add_init_script(SPIES)
    yield context
    context.close()


def english_left(page: Page) -> list[str]:
    text = page.locator("body").inner_text()
    text = text.replace("Spine Routine", "").replace("English", "")
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def test_a_spanish_phone_does_the_routine_offline_in_spanish_with_a_spanish_voice(
    phone: BrowserContext, base_url: str
) -> None:
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    page.goto(base_url + "/")
    assert page.url == base_url + "/es/"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    wait_for_control(page)
    wait_until(page, "() => caches.match('/es/workout').then(Boolean)")
    assert english_left(page) == []
    phone.set_offline(True)

    page.goto(base_url + "/es/workout")
    start = page.get_by_role("button", name=tr("es", "Start workout"))
    expect(start).to_be_visible()
    assert english_left(page) == []
    start.click()
    expect(page.get_by_role("heading", name=EXERCISE_NAMES["es"][0])).to_be_visible()
    page.clock.run_for(20_000)
    assert english_left(page) == [], page.locator("body").inner_text()
    done = page.get_by_role("heading", name=tr("es", "Workout complete"))
    run_until(page, done, step_ms=60_000)
    assert english_left(page) == []
    page.get_by_role("button", name=tr("es", "Save session")).click()
    expect(page.get_by_role("heading", name=tr("es", "Session saved"))).to_be_visible()
    assert len(stores(page)["sessions"]) == 1

    said = page.evaluate("() => window.__said")
    assert len(said) > 100
    assert {(s["lang"].split("-")[0], s["voice"]) for s in said} == {("es", "es-ES")}
    spoken = " ".join(s["text"] for s in said)
    first = EXERCISE_NAMES["es"][0]
    assert tr("es", "{name}. Get ready.", name=first) in spoken
    assert tr("es", "Rest. Next: {name}.", name=EXERCISE_NAMES["es"][1]) in spoken
    assert not re.search(r"\b(Get ready|Rep|Rest|Breathe|Hold|Switch|Well done)\b", spoken)

    # The history shows it in Spanish too, with Spanish dates.
    page.goto(base_url + "/es/history")
    expect(page.locator("[data-sessions] li").first).to_be_visible()
    assert english_left(page) == []
    assert errors == []


@pytest.mark.parametrize("phone", ["de-DE"], indirect=True)
def test_accept_language_de_leads_to_the_german_pages(phone: BrowserContext, base_url: str) -> None:
    page = phone.new_page()
    response = page.goto(base_url + "/")
    assert response is not None
    assert response.ok
    assert page.url == base_url + "/de/"
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("link", name=tr("de", "Workout"), exact=True)).to_have_attribute(
        "href", "/de/workout"
    )
    assert english_left(page) == []


def test_a_link_to_the_workout_opens_in_the_browsers_language_online_and_offline(
    phone: BrowserContext, base_url: str
) -> None:
    page = phone.new_page()
    response = page.goto(base_url + "/workout?from=link")
    assert response is not None
    assert response.ok
    assert page.url == base_url + "/es/workout?from=link"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name=tr("es", "Start workout"))).to_be_visible()
    assert english_left(page) == []

    # Once the worker is in, a link still goes to Spanish, through the worker...
    wait_for_control(page)
    wait_until(page, "() => caches.match('/es/history').then(Boolean)")
    page.goto(base_url + "/settings")
    page.wait_for_url(base_url + "/es/settings")
    # ...and offline, where the worker sends it to the language last used here.
    phone.set_offline(True)
    page.goto(base_url + "/history")
    page.wait_for_url(base_url + "/es/history")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert english_left(page) == []


@pytest.mark.parametrize("phone", ["en-US"], indirect=True)
def test_the_language_choice_survives_a_reload_offline(
    phone: BrowserContext, base_url: str
) -> None:
    page = phone.new_page()
    page.goto(base_url + "/settings")
    wait_for_control(page)
    page.get_by_role("radio", name="Deutsch").check()
    page.wait_for_url(base_url + "/de/settings")
    wait_until(page, "() => caches.match('/de/workout').then(Boolean)")
    assert page.evaluate(READ_SETTINGS)["language"] == "de"
    assert page.get_by_role("radio", name="Deutsch").is_checked()

    phone.set_offline(True)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert english_left(page) == []
    # The home screen opens "/": offline it goes to the chosen language.
    page.goto(base_url + "/")
    page.wait_for_url(base_url + "/de/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # Spanish was never opened on this phone: offline it needs the network once.
    page.goto(base_url + "/de/settings")
    # A click, not check(): the picker puts the radio back once it finds that
    # Spanish cannot open, which check() may see as its click not taking.
    page.get_by_role("radio", name="Español").click()
    expect(page.locator("#language-status")).to_have_text(
        tr(
            "de",
            "{language} needs the network once. Connect to the internet and try again.",
            language="Español",
        )
    )
    assert page.url == base_url + "/de/settings"
    assert page.get_by_role("radio", name="Deutsch").is_checked()
    # English was, so it opens offline.
    page.get_by_role("radio", name="English").check()
    page.wait_for_url(base_url + "/settings")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_footer_links_switch_language_and_keep_the_page(
    phone: BrowserContext, base_url: str
) -> None:
    page = phone.new_page()
    page.goto(base_url + "/es/history")
    german = page.locator("footer.languages").get_by_role("link", name="Deutsch")
    # A tap before the page's scripts have run opens the page without keeping the choice.
    expect(german).to_have_attribute("data-remembers", "true")
    german.click()
    page.wait_for_url(base_url + "/de/history")
    assert "lang=de" in page.evaluate("() => document.cookie")


@pytest.mark.parametrize("lang", ["es", "de"])
@pytest.mark.parametrize(
    "path",
    ["/", "/workout", "/history", "/settings", "/summary", "/about", "/exercises/knee-rolls"],
)
def test_spanish_and_german_pages_are_accessible(
    page: Page, base_url: str, lang: str, path: str
) -> None:
    page.goto(f"{base_url}/{lang}{path}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.wait_for_load_state("networkidle")
    assert english_left(page) == []
    assert_accessible(page)


def test_without_a_voice_for_the_language_settings_says_so_and_the_player_stays_silent(
    phone: BrowserContext, base_url: str
) -> None:
    phone.add_init_script(
        "window.__voices = window.__voices.filter((v) => !v.lang.startsWith('es'));"
    )
    page = phone.new_page()
    page.goto(base_url + "/es/settings")
    note = page.locator("#voice-note")
    expect(note).to_be_visible()
    page.clock.install()
    page.goto(base_url + "/es/workout")
    page.get_by_role("button", name=tr("es", "Start workout")).click()
    page.clock.run_for(30_000)
    assert page.evaluate("() => window.__said") == []
    assert page.evaluate("() => window.__tones") > 0
