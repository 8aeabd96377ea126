"""The safety check before Start (templates/_safety.html, safety/): a new user answers
nine warning-sign questions; any yes holds Start with a calm message until a health
professional has cleared them; it is asked again after 12 weeks and after a session
that ends with pain of 7 or more; the answers are kept in the synced settings and
shown on /summary."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import READ_SETTINGS, SPIES, wait_until
from tests.browser.test_habit import OUTBOX_EMPTY, Mat
from tests.browser.test_languages import tr
from tests.browser.test_pages import assert_accessible
from tests.browser.test_sync_devices import Phone, join, sync, turn_on

pytestmark = pytest.mark.safety_check

LANGS = ["en", "es", "de"]
FEVER = "Do you have a fever, or do you feel generally unwell?"
START = "Start workout"
NOT_A_DIAGNOSIS = (
    "Back pain is rarely serious, but a few signs mean a doctor should see you first. This is "
    "not a diagnosis: it only tells you whether to check with a health professional before "
    "you exercise."
)
URGENT = (
    "These signs can mean a nerve in your back is pressed and needs care at once. Call your "
    "local emergency number or go to an emergency department today. Do not do the exercises."
)


def words(lang: str, english: str, **params: Any) -> str:
    return english.format(**params) if lang == "en" else tr(lang, english, **params)


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


class Person:
    """Someone at the safety check on a phone (a page) in a language."""

    def __init__(self, page: Page, base_url: str, lang: str = "en"):
        self.page, self.base, self.lang = page, base_url, lang

    def w(self, english: str, **params: Any) -> str:
        return words(self.lang, english, **params)

    def workout_page(self) -> Page:
        self.page.goto(f"{self.base}{prefix(self.lang)}/workout")
        return self.page

    def check(self) -> Any:
        return self.page.get_by_role("region", name=self.w("A safety check first"))

    def start(self) -> Any:
        return self.page.get_by_role("button", name=self.w(START))

    def answer(self, yes: tuple[str, ...] = ()) -> None:
        """Open the questions if they are folded, and answer no to each but those named."""
        opener = self.page.get_by_role("button", name=self.w("Answer the safety questions"))
        form = self.page.locator("#safety-form")
        expect(opener.or_(form).locator("visible=true")).to_be_visible()
        if opener.is_visible():
            opener.click()
        for sign in form.locator("fieldset").all():
            value = "yes" if sign.get_attribute("data-sign") in yes else "no"
            sign.locator(f'input[value="{value}"]').check()
        form.get_by_role("button", name=self.w("Check my answers")).click()
        expect(form).to_be_hidden()  # saved

    def settings(self) -> Any:
        return self.page.evaluate(READ_SETTINGS)


@pytest.fixture
def person(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Person]:
    """A new phone in the test's language on Monday 2 November 2026; no console error."""
    lang = getattr(request, "param", "en")
    locale = {"en": "en-GB", "es": "es-ES", "de": "de-DE"}[lang]
    context = browser.new_context(
        viewport=PHONE, has_touch=True, locale=locale, timezone_id="Europe/London"
    )
    context.add_init_script(SPIES)
    page = context.new_page()
    page.clock.install(time="2026-11-02T08:00:00Z")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield Person(page, base_url, lang)
    context.close()
    assert errors == [], errors


@pytest.mark.parametrize("person", LANGS, indirect=True)
def test_a_new_user_answers_the_check_before_start_and_all_no_lets_them_start(
    person: Person,
) -> None:
    page = person.workout_page()
    expect(person.check()).to_be_visible()
    expect(person.check()).to_contain_text(
        person.w("Before your first workout, please answer these questions.")
    )
    expect(person.start()).to_be_hidden()
    assert_accessible(page)
    # Folded, the check fits in the room Start will have: nothing moves when it shows.
    room = page.locator("[data-start-area]").bounding_box()
    page.get_by_role("button", name=person.w("Answer the safety questions")).click()
    expect(page.get_by_role("group", name=person.w(FEVER))).to_be_visible()
    expect(person.check()).to_contain_text(person.w(NOT_A_DIAGNOSIS))
    # Nine questions, each a yes/no group with its own name.
    assert page.locator("#safety-form fieldset").count() == 9
    expect(page.get_by_role("group", name=person.w(FEVER))).to_be_visible()
    assert_accessible(page)
    # A question left out is asked for: nothing is saved.
    page.get_by_role("button", name=person.w("Check my answers")).click()
    expect(person.start()).to_be_hidden()
    assert person.settings() is None

    person.answer()
    expect(person.start()).to_be_visible()
    expect(page.locator("#safety-form")).to_be_hidden()
    assert room
    assert page.locator("[data-start-area]").bounding_box()["height"] == room["height"]
    safety = person.settings()["safety"]
    assert (safety["answered_at"][:16], safety["yes"], safety["cleared_at"]) == (
        "2026-11-02T08:00",
        [],
        None,
    )
    # The next visit goes straight to Start.
    person.workout_page()
    expect(person.start()).to_be_visible()
    expect(person.check()).to_be_hidden()


@pytest.mark.parametrize("person", LANGS, indirect=True)
def test_an_emergency_sign_holds_start_until_a_professional_clears_it(person: Person) -> None:
    page = person.workout_page()
    person.answer(yes=("bladder_bowel",))
    urgent = page.get_by_role("heading", name=person.w("Get medical help now"))
    expect(urgent).to_be_visible()
    expect(urgent).to_be_focused()
    expect(person.check()).to_contain_text(person.w(URGENT))
    expect(
        page.get_by_role("heading", name=person.w("See a doctor before you start"))
    ).to_be_hidden()
    expect(person.start()).to_be_hidden()
    assert_accessible(page)
    # Held on every visit until cleared.
    person.workout_page()
    expect(person.check()).to_contain_text(person.w("Your last answers showed a warning sign."))
    expect(urgent).to_be_visible()
    expect(person.start()).to_be_hidden()

    page.clock.set_system_time("2026-11-04T10:00:00Z")
    page.get_by_role(
        "button", name=person.w("A health professional has said I can do these exercises")
    ).click()
    expect(person.start()).to_be_visible()
    expect(urgent).to_be_hidden()
    safety = person.settings()["safety"]
    assert (safety["answered_at"][:10], safety["yes"], safety["cleared_at"][:16]) == (
        "2026-11-02",
        ["bladder_bowel"],
        "2026-11-04T10:00",
    )
    person.workout_page()
    expect(person.start()).to_be_visible()


def test_another_sign_asks_for_a_doctor_and_answers_can_be_changed(person: Person) -> None:
    page = person.workout_page()
    person.answer(yes=("fever", "age"))
    expect(page.get_by_role("heading", name="See a doctor before you start")).to_be_visible()
    expect(page.get_by_role("heading", name="Get medical help now")).to_be_hidden()
    expect(person.start()).to_be_hidden()
    # A wrong tap: the answers are asked again, and all no lets them start.
    page.get_by_role("button", name="Change my answers").click()
    person.answer()
    expect(person.start()).to_be_visible()
    assert person.settings()["safety"]["yes"] == []


def test_the_check_is_asked_again_after_12_weeks(person: Person) -> None:
    person.workout_page()
    person.answer()
    expect(person.start()).to_be_visible()
    # 83 days on: still cleared.
    person.page.clock.set_system_time("2027-01-24T08:00:00Z")
    person.workout_page()
    expect(person.start()).to_be_visible()
    # 84 days on (and a little: the clock ran on while they answered): asked again.
    person.page.clock.set_system_time("2027-01-25T08:05:00Z")
    person.workout_page()
    expect(person.check()).to_contain_text("It has been 12 weeks since you last answered")
    expect(person.start()).to_be_hidden()
    person.answer()
    expect(person.start()).to_be_visible()
    assert person.settings()["safety"]["answered_at"].startswith("2027-01-25T08:0")


@pytest.mark.parametrize(("pain", "asked"), [(7, True), (6, False)])
def test_a_session_that_ends_with_pain_of_7_asks_again_at_once(
    browser: Browser, base_url: str, pain: int, asked: bool
) -> None:
    mat = Mat(browser, base_url, "2026-11-02T08:00:00Z")
    person = Person(mat.page, base_url)
    try:
        person.workout_page()
        person.answer()
        mat.workout(pain_after=pain)
        mat.page.get_by_role("button", name="Back to the plan").click()
        if asked:
            expect(person.check()).to_contain_text(
                "A recent session ended with pain of 7 out of 10. Before the next one,"
            )
            expect(person.start()).to_be_hidden()
            person.answer()
            expect(person.start()).to_be_visible()
            # Answered after that session: not asked again for it.
            person.workout_page()
            expect(person.start()).to_be_visible()
        else:
            expect(person.start()).to_be_visible()
            expect(person.check()).to_be_hidden()
    finally:
        mat.close()


@pytest.mark.parametrize("person", ["en", "de"], indirect=True)
def test_the_summary_names_the_answers_and_the_clearance(person: Person) -> None:
    page = person.workout_page()
    person.answer(yes=("fever",))
    page.clock.set_system_time("2026-11-05T09:00:00Z")
    page.get_by_role(
        "button", name=person.w("A health professional has said I can do these exercises")
    ).click()
    expect(person.start()).to_be_visible()
    page.goto(f"{person.base}{prefix(person.lang)}/summary")
    said = page.locator("[data-summary-safety]")
    # Dates as the summary writes every date: in the phone's own format.
    day = page.evaluate(
        """(iso) => new Intl.DateTimeFormat(navigator.language,
          { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso))""",
        "2026-11-02T08:00:00Z",
    )
    cleared = page.evaluate(
        """(iso) => new Intl.DateTimeFormat(navigator.language,
          { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso))""",
        "2026-11-05T09:00:00Z",
    )
    signs = person.w("a fever or feeling unwell")
    expect(said).to_have_text(
        person.w("Answered on {day}: yes to {signs}.", day=day, signs=signs)
        + " "
        + person.w("A health professional cleared the exercises on {day}.", day=cleared)
    )
    assert_accessible(page)


def test_answers_and_a_clearance_follow_the_user_to_their_other_device(
    browser: Browser, base_url: str
) -> None:
    phone, tablet = Phone(browser, base_url, "Phone"), Phone(browser, base_url, "Tablet")
    try:
        join(tablet, turn_on(phone).locator("[data-pairing-code]").inner_text())
        on_phone = Person(phone.goto("/workout"), base_url)
        on_phone.answer(yes=("injury",))
        expect(on_phone.start()).to_be_hidden()
        sync(phone)
        wait_until(phone.page, OUTBOX_EMPTY, timeout=15)  # the answers reached the server
        # The tablet holds Start too: the warning sign is the user's, not the phone's.
        sync(tablet)
        tablet.goto("/workout")
        wait_until(
            tablet.page, f"() => ({READ_SETTINGS})().then((s) => Boolean(s?.safety))", timeout=15
        )
        on_tablet = Person(tablet.goto("/workout"), base_url)
        expect(on_tablet.check()).to_contain_text("Your last answers showed a warning sign.")
        expect(on_tablet.start()).to_be_hidden()
        tablet.page.get_by_role(
            "button", name="A health professional has said I can do these exercises"
        ).click()
        expect(on_tablet.start()).to_be_visible()
        sync(tablet)
        wait_until(tablet.page, OUTBOX_EMPTY, timeout=15)
        sync(phone)
        cleared = f"() => ({READ_SETTINGS})().then((s) => Boolean(s?.safety?.cleared_at))"
        wait_until(phone.page, cleared, timeout=15)
        on_phone.workout_page()
        expect(on_phone.start()).to_be_visible()
        expect(on_phone.check()).to_be_hidden()
    finally:
        phone.close()
        tablet.close()
