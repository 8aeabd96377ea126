"""Every screen fits a phone from 320 px up, in English, Spanish and German:
nothing sticks out sideways, Start workout is on the first screen, keyboard
focus never hides under the tab bar, and a notice covers nothing (issue 19).

One browser context per language and width, its page reused from screen to
screen. With FIT_SHOTS=/some/folder every screen checked is saved there as a
PNG, to look at with one's own eyes.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FloatRect, Page, expect

from tests.browser.conftest import answer_no_warning_signs
from tests.browser.helpers import SPIES
from tests.browser.test_your_data import SAVE, SESSIONS, session

LANGS = {"en": "en-US", "es": "es-ES", "de": "de-DE"}
WIDTHS = (320, 390)
HEIGHT = {320: 640, 360: 640, 390: 844}
EXERCISES = [
    "knees-to-chest",
    "knee-rolls",
    "straight-leg-raise",
    "upper-ab-crunch",
    "opposite-arm-leg-lift",
]
SHOTS = os.environ.get("FIT_SHOTS")
# A note with a word longer than any phone is wide, as people paste links.
LONG_NOTE = "Physio said: https://example.org/" + "x" * 120 + " and rest on Sundays."

# What sticks out past the right edge: each element whose box ends beyond
# `width`, unless an ancestor that clips (and itself fits) holds it; and any
# box that scrolls sideways on its own. Closed <details> hold nothing shown.
OVERFLOW = """(width) => {
  const name = (el) => {
    const words = (el.innerText || el.getAttribute("aria-label") || "").replace(/\\s+/g, " ");
    const classes = el.classList.length ? "." + [...el.classList].join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}>`
      + ` "${words.trim().slice(0, 40)}"`;
  };
  const held = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const clips = style.overflowX !== "visible" || style.clipPath !== "none";
      if (clips && up.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const shut = el.parentElement.closest("details:not([open])");
    if (shut && !shut.querySelector(":scope > summary").contains(el)) continue;
    const style = getComputedStyle(el);
    if (["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${name(el)} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth}`);
    }
    if (box.right <= width + 0.5 || held(el)) continue;
    out.push(`${name(el)} ends at ${Math.round(box.right)} px`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, out };
}"""

# Controls a finger meets, under 44 px either way (links inside a sentence aside).
SMALL_TARGETS = """() => {
  const out = [];
  const targets = ".button, .tabs a, select, textarea, input[type=text], input[type=time],"
    + " input[type=date], .pain-options span, .goal-options span, .plan-fold > summary, .check";
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || (box.width >= 43.5 && box.height >= 43.5)) continue;
    const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
    out.push(`<${el.tagName.toLowerCase()}.${[...el.classList].join(".")}>`
      + ` "${el.innerText.trim().slice(0, 30)}" is ${size}`);
  }
  return out;
}"""

# Each select narrower than its longest choice (text, padding and arrow).
CUT_SELECTS = """() => [...document.querySelectorAll("select")].flatMap((s) => {
  if (!s.offsetWidth) return [];
  const style = getComputedStyle(s);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = style.font;
  const words = Math.max(...[...s.options].map((o) => pen.measureText(o.text).width));
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const room = s.clientWidth - padding - 16;  // 16 px for the arrow
  if (words <= room) return [];
  return [`${s.getAttribute("aria-label")}: ${Math.round(words)} px in ${Math.round(room)}`];
})"""

# Resolves once the page has stopped scrolling.
SETTLED = """() => new Promise((resolve) => {
  let last = -1, still = 0;
  const look = () => {
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
    if (still >= 3) resolve(true); else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""

# After a Tab, once the page has stopped scrolling (a smooth scroll may still
# move): the focused element, and what covers it, entirely or partly, among
# the fixed and sticky elements that do not hold it (null when nothing does).
FOCUS_STOP = """async () => {
  await new Promise((resolve) => {
    let last = -1, still = 0;
    const look = () => {
      still = window.scrollY === last ? still + 1 : 0;
      last = window.scrollY;
      if (still >= 5) resolve(); else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  const el = document.activeElement;
  const key = el?.outerHTML.slice(0, 200);
  if (!el || el === document.body) return [key, null];
  const box = el.getBoundingClientRect();
  if (!box.width && !box.height) return [key, null];
  for (const other of document.body.querySelectorAll("*")) {
    const position = getComputedStyle(other).position;
    if ((position !== "fixed" && position !== "sticky") || other.contains(el)) continue;
    const o = other.getBoundingClientRect();
    const w = Math.min(box.right, o.right) - Math.max(box.left, o.left);
    const h = Math.min(box.bottom, o.bottom) - Math.max(box.top, o.top);
    if (w <= 0.5 || h <= 0.5) continue;
    const how = w >= box.width - 0.5 && h >= box.height - 0.5 ? "entirely" : "partly";
    const words = el.innerText || el.getAttribute("aria-label") || el.id || el.name || el.type;
    return [key, `${how} under <${other.tagName.toLowerCase()} class="${other.className}">:`
      + ` <${el.tagName.toLowerCase()}> "${words.trim().slice(0, 40)}"`
      + ` at y=${Math.round(box.top)}-${Math.round(box.bottom)}`];
  }
  return [key, null];
}"""

# What shows that a page has drawn what its scripts fill in.
READY = {
    "/": "[data-week-days] li",
    "/workout": "#start-form:not([hidden]), #resume:not([hidden]), #safety:not([hidden])",
    "/history": "[data-sessions][aria-busy=false]",
    "/summary": "[data-summary-page]:not([hidden])",
    "/settings": "#sync [data-view]:not([hidden])",
    **{f"/exercises/{e}": "[data-pose-box] svg" for e in EXERCISES},
}


@dataclass
class Phone:
    """A phone set to a language, its width fixed; one page visits screen after screen."""

    lang: str
    width: int
    context: BrowserContext
    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    seeded: bool = False

    def url(self, path: str) -> str:
        return self.base + ("" if self.lang == "en" else f"/{self.lang}") + path

    def goto(self, path: str) -> Page:
        self.page.goto(self.url(path))
        self.page.locator(READY.get(path, "h1")).first.wait_for()
        return self.page

    def seed(self) -> None:
        """A few sessions on this phone, once: for /history and /summary."""
        if self.seeded:
            return
        self.goto("/about")
        extra = ["4d3c2b1a-0000-4000-8000-000000000019", session(3, LONG_NOTE, (6, 2))]
        self.page.evaluate(SAVE, [[i, d] for i, d in SESSIONS] + [extra])
        self.seeded = True

    def check(self, name: str) -> None:
        """Nothing past the right edge, no target under 44 px, no error, on the screen as it is."""
        page = self.page
        page.evaluate(SETTLED)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{self.lang}-{self.width}-{name}.png", full_page=True)
        seen = page.evaluate(OVERFLOW, self.width)
        where = f"{self.lang} at {self.width} px, {name}"
        assert seen["scrollWidth"] <= self.width, f"{where}: {seen['scrollWidth']} px wide"
        assert not seen["out"], f"{where}, sticking out: {seen['out'][:8]}"
        assert not (small := page.evaluate(SMALL_TARGETS)), f"{where}, under 44 px: {small}"
        assert not self.errors, f"{where}: {self.errors}"


def new_phone(browser: Browser, base_url: str, lang: str, width: int, clock: bool = True) -> Phone:
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT[width]},
        is_mobile=True,
        has_touch=True,
        locale=LANGS[lang],
    )
    context.add_init_script(SPIES)
    page = context.new_page()
    phone = Phone(lang, width, context, page, base_url)
    page.on("pageerror", lambda e: phone.errors.append(str(e)))
    if clock:  # for the player; time runs as usual until a test moves it on
        page.clock.install()
    return phone


@pytest.fixture(scope="module")
def phones(browser: Browser, base_url: str) -> Iterator[Callable[[str, int], Phone]]:
    made: dict[tuple[str, int], Phone] = {}

    def get(lang: str, width: int) -> Phone:
        if (lang, width) not in made:
            made[lang, width] = new_phone(browser, base_url, lang, width)
        phone = made[lang, width]
        phone.errors.clear()
        return phone

    yield get
    for phone in made.values():
        phone.context.close()


by_lang_and_width = pytest.mark.parametrize(
    ("lang", "width"), [(lang, width) for lang in LANGS for width in WIDTHS]
)


PAGES = ["/", *(f"/exercises/{e}" for e in EXERCISES), "/about", "/offline", "/settings"]


@by_lang_and_width
@pytest.mark.parametrize("path", PAGES)
def test_the_page_fits(
    phones: Callable[[str, int], Phone], lang: str, width: int, path: str
) -> None:
    phone = phones(lang, width)
    phone.goto(path)
    phone.check(path.strip("/").replace("/", "-") or "home")


@by_lang_and_width
def test_history_and_summary_with_sessions_fit(
    phones: Callable[[str, int], Phone], lang: str, width: int
) -> None:
    phone = phones(lang, width)
    phone.seed()
    page = phone.goto("/history")
    expect(page.locator(".session")).to_have_count(len(SESSIONS) + 1)
    phone.check("history")
    for n in range(2):
        page.locator(".session summary").nth(n).click()
    page.locator(".pain-chart details summary").click()
    phone.check("history-details")
    phone.goto("/summary")
    phone.check("summary")


def run_until(page: Page, done: Callable[[], bool], step_ms: int, most: int = 60) -> None:
    """Move the clock on until `done()`: the voice sets the pace, not a fixed timetable."""
    for _ in range(most):
        if done():
            return
        page.clock.run_for(step_ms)
    assert done(), f"still not there after {most * step_ms / 1000:.0f} s of workout"


@by_lang_and_width
def test_the_workout_fits_in_every_state(
    phones: Callable[[str, int], Phone], lang: str, width: int
) -> None:
    phone = phones(lang, width)
    page = phone.goto("/workout")
    phone.check("workout-prepare")
    page.locator("[data-plan-fold] > summary").click()
    phone.check("workout-plan-open")
    page.locator("#start-form [type=submit]").click()
    page.clock.run_for(20_000)
    expect(page.locator("[data-counter]")).not_to_be_empty()
    phone.check("player-running")
    # A rest: Next becomes "Skip rest" ("Ruhepause überspringen").
    next_button = page.locator(".controls [data-action=next]")
    words = next_button.inner_text()
    run_until(page, lambda: next_button.inner_text() != words, 5_000)
    phone.check("player-resting")
    page.locator(".controls [data-action=pause]").click()
    expect(page.locator("[data-paused]")).to_be_visible()
    phone.check("player-paused")
    page.locator(".controls [data-action=pause]").click()
    page.locator(".controls [data-action=hurts]").click()
    expect(page.locator("[data-hurts]")).to_be_visible()
    phone.check("player-it-hurts")
    page.locator("[data-hurts] [data-action=resume]").click()
    run_until(page, page.locator("#finish").is_visible, 60_000)
    expect(page.locator("[data-summary] select")).to_have_count(5)
    phone.check("workout-finish")
    assert not (cut := page.evaluate(CUT_SELECTS)), f"selects that cut their words: {cut}"
    page.locator("#save-form [type=submit]").click()
    expect(page.locator("#saved")).to_be_visible()
    phone.check("workout-saved")
    page.locator("#saved [data-action=again]").click()
    expect(page.locator("#start-form")).to_be_visible()
    phone.check("workout-after-a-session")


@by_lang_and_width
def test_the_sync_section_fits_in_every_step(
    phones: Callable[[str, int], Phone], lang: str, width: int
) -> None:
    phone = phones(lang, width)
    page = phone.goto("/settings")
    page.locator("#device-name").fill("Phone on the bedroom floor")
    page.locator("[data-form=turn-on] [type=submit]").click()
    expect(page.locator("[data-recovery-code]")).not_to_be_empty()
    phone.check("settings-recovery-code")
    page.locator("[data-action=recovery-saved]").click()
    expect(page.locator("[data-devices] li")).to_have_count(1)
    page.locator("[data-action=add-device]").click()
    expect(page.locator("[data-qr] svg")).to_be_visible()
    phone.check("settings-sync-on")
    page.locator("[data-action=delete-account]").click()
    expect(page.locator('[data-confirm="delete-1"]')).to_be_visible()
    phone.check("settings-delete-asks")
    page.locator('[data-confirm="delete-1"] [data-action=cancel]').click()
    page.locator("[data-action=new-recovery]").click()
    expect(page.locator('[data-confirm="new-recovery"]')).to_be_visible()
    phone.check("settings-new-recovery-asks")
    page.locator("[data-action=new-recovery-final]").click()
    expect(page.locator("[data-recovery-replaced]")).to_be_visible()
    phone.check("settings-new-recovery-code")
    page.locator("[data-action=recovery-saved]").click()
    # Leave the phone as it was: sync off, its sessions kept.
    page.locator("[data-action=turn-off]").click()
    page.locator("[data-action=off-keep]").click()
    expect(page.locator('[data-view="off"]')).to_be_visible()


def start_is_above_the_tab_bar(page: Page) -> None:
    start = page.locator("#start-form [type=submit]").bounding_box()
    bar = page.locator(".tabs").bounding_box()
    safety = page.locator(".safety-line").bounding_box()
    assert start
    assert bar
    assert safety
    top, bottom = start["y"], start["y"] + start["height"]
    where = f"{page.viewport_size}: Start workout at {top:.0f}-{bottom:.0f} px"
    assert top >= 0, where
    assert bottom <= bar["y"], f"{where}, the tab bar from {bar['y']:.0f} px"
    # Safety before streaks: the stop-on-sharp-pain line right under the button.
    assert 0 <= safety["y"] - bottom <= 24, f"{where}, the safety line at {safety['y']:.0f} px"


@pytest.mark.safety_check
@pytest.mark.parametrize("width", [390, 360])
@pytest.mark.parametrize("lang", LANGS)
def test_the_safety_check_then_start_is_on_the_first_screen_of_a_first_visit(
    browser: Browser, base_url: str, lang: str, width: int
) -> None:
    phone = new_phone(browser, base_url, lang, width)
    try:
        page = phone.goto("/workout")
        # A first visit: the safety check stands in Start's room, on the first screen.
        opener = page.locator('#safety [data-action="safety-open"]')
        expect(opener).to_be_visible()
        area = page.locator("[data-start-area]").bounding_box()
        # "Ready to work offline" shows in the header's status line: nothing moves.
        expect(page.locator("#offline-ready")).to_be_visible()
        assert page.locator("[data-start-area]").bounding_box() == area
        box = opener.bounding_box()
        bar = page.locator(".tabs").bounding_box()
        assert box
        assert bar
        assert 0 <= box["y"] <= box["y"] + box["height"] <= bar["y"]
        phone.check("workout-first-visit")
        page.locator("#safety [data-action=safety-open]").click()
        phone.check("workout-safety-check")
        # Answered with no warning sign, Start takes the check's place.
        answer_no_warning_signs(page)
        phone.check("workout-after-the-check")
        start_is_above_the_tab_bar(page)
    finally:
        phone.context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_start_workout_is_on_the_first_screen(browser: Browser, base_url: str, lang: str) -> None:
    phone = new_phone(browser, base_url, lang, 390)
    try:
        page = phone.goto("/workout")
        expect(page.locator("#offline-ready")).to_be_visible()  # the worker is in
        # Every visit after it, on a tall phone and a small one.
        page.reload()
        page.locator(READY["/workout"]).first.wait_for()
        start_is_above_the_tab_bar(page)
        page.set_viewport_size({"width": 360, "height": 640})
        start_is_above_the_tab_bar(page)
    finally:
        phone.context.close()


FOCUS_PAGES = [
    "/",
    "/workout",
    "/history",
    "/settings",
    "/summary",
    "/about",
    "/exercises/knee-rolls",
]


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_focus_never_hides_under_the_tab_bar(
    browser: Browser, base_url: str, lang: str
) -> None:
    # Real animation frames (no fake clock) to tell when a smooth scroll has ended.
    phone = new_phone(browser, base_url, lang, 390, clock=False)
    try:
        phone.seed()
        problems = [problem for path in FOCUS_PAGES for problem in tab_through(phone, path)]
    finally:
        phone.context.close()
    assert not problems, "\n".join(problems)


def tab_through(phone: Phone, path: str) -> list[str]:
    """Tab from the top of a page round to its start; what covers each stop, if anything."""
    page = phone.goto(path)
    # The plan's links too, not only its summary row.
    page.evaluate("() => document.querySelector('[data-plan-fold]')?.setAttribute('open', '')")
    seen: list[str] = []
    problems = []
    for _ in range(250):
        page.keyboard.press("Tab")
        key, covered = page.evaluate(FOCUS_STOP)
        if seen and key == seen[0]:  # round the page and back to the skip link
            break
        seen.append(key)
        if covered:
            problems.append(f"{path}: {covered}")
    assert len(set(seen)) > 5, f"{path}: only {len(set(seen))} stops"
    return problems


def overlap(a: FloatRect | None, b: FloatRect | None) -> bool:
    assert a
    assert b
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ready_notice_covers_neither_the_week_nor_the_recovery_code(
    browser: Browser, base_url: str, width: int
) -> None:
    # A first visit to the home page.
    phone = new_phone(browser, base_url, "en", width)
    try:
        page = phone.goto("/")
        week = page.locator("[data-week]").bounding_box()
        notice = page.locator("#offline-ready")
        expect(notice).to_have_text("Ready to work offline")
        assert not overlap(notice.bounding_box(), page.locator("[data-week]").bounding_box())
        assert page.locator("[data-week]").bounding_box() == week, "the week moved"
        phone.check("home-first-visit")
    finally:
        phone.context.close()
    # A first visit to Settings, sync turned on while the notice shows.
    phone = new_phone(browser, base_url, "en", width)
    try:
        page = phone.goto("/settings")
        page.locator("#device-name").fill("Tablet")
        page.locator("[data-form=turn-on] [type=submit]").click()
        code = page.locator("[data-recovery-code]")
        expect(code).not_to_be_empty()
        notice = page.locator("#offline-ready")
        expect(notice).to_be_visible()
        assert not overlap(notice.bounding_box(), code.bounding_box())
        code.scroll_into_view_if_needed()
        assert not overlap(page.locator(".tabs").bounding_box(), code.bounding_box())
        phone.check("settings-first-visit-recovery")
    finally:
        phone.context.close()


@pytest.mark.parametrize("path", ["/workout", "/settings"])
def test_a_notice_sits_in_the_page_and_goes_with_a_tap(
    phones: Callable[[str, int], Phone], path: str
) -> None:
    phone = phones("de", 320)
    page = phone.goto(path)
    page.evaluate(
        """async () => {
            const { notify } = await import("/static/js/lib/notices.js");
            notify("Eine neue Version ist bereit.", { action: "Neu laden", onAction() {} });
        }"""
    )
    notice = page.locator(".notice").filter(has_text="Eine neue Version")
    expect(notice).to_be_visible()
    assert notice.evaluate("n => getComputedStyle(n.parentElement).position") == "static"
    phone.check(f"{path.strip('/')}-notice")
    notice.get_by_role("button", name=re.compile("Schließen")).click()
    expect(notice).to_have_count(0)
