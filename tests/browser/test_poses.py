"""Pictures that teach the movement: every exercise and variation drawn, and the
player's figure moving in step with its phases (Playwright's clock)."""

import itertools
import math

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from server.settings import ROOT
from server.site.content import EXERCISE_IDS
from tests.browser.helpers import SPIES, go_offline, module_runner
from tests.browser.test_pages import assert_accessible

EXERCISES = list(EXERCISE_IDS)
FIGURE = "[data-figure] svg"

# What a drawing shows, read from its SVG: each path as its lines' points.
SHAPES = """(svg) => {
  const lines = (path) => path.getAttribute("d").split("M").filter((part) => part.trim())
    .map((part) => part.split("L").map((xy) => xy.trim().split(/\\s+/).map(Number)));
  const all = (selector) => [...svg.querySelectorAll(selector)].map(lines);
  const head = svg.querySelector(".pose-head");
  return { near: all("path.pose-near"), torso: all("path.pose-torso")[0],
    head: [Number(head.getAttribute("cx")), Number(head.getAttribute("cy"))] };
}"""

Point = list[float]


def shapes(svg: Locator) -> dict:
    return svg.evaluate(SHAPES)


def stills(page: Page) -> list[dict]:
    """The start and end drawings of the exercise page, once drawn."""
    drawn = page.locator("[data-poses] svg[role=img]")
    expect(drawn).to_have_count(2)
    return [shapes(svg) for svg in drawn.all()]


def along(line: list[Point], fraction: float) -> Point:
    """The point a fraction of the way along a line of points."""
    pieces = list(itertools.pairwise(line))
    rest = fraction * sum(math.dist(a, b) for a, b in pieces)
    for a, b in pieces:
        if rest <= math.dist(a, b):
            at = rest / math.dist(a, b)
            return [a[0] + (b[0] - a[0]) * at, a[1] + (b[1] - a[1]) * at]
        rest -= math.dist(a, b)
    return line[-1]


def rising(a: Point, b: Point) -> float:
    """Degrees above the mat of the line up to a from b, to its right (head on the left)."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def close(a: Point, b: Point) -> bool:
    return math.dist(a, b) < 0.5


def test_every_exercise_and_variation_has_its_poses_with_text_alternatives(
    page: Page, base_url: str
) -> None:
    run = module_runner(page, base_url, "workout/figures")
    found = run("""const m = figures;
      return routine.exercises.flatMap((e) => [null, ...e.variations.map((v) => v.id)].map((v) => {
        const figure = m.figureFor(e.id, v);
        const own = v === null || Boolean(m.VARIATIONS[`${e.id}/${v}`]);
        return { id: e.id, variation: v, own, start: figure?.start?.alt, end: figure?.end?.alt,
          steps: figure?.steps?.length,
          repSteps: e.steps.filter((s) => s.kind === "rep").length };
      }));""")
    assert {f["id"] for f in found} == set(EXERCISES)
    assert {(f["id"], f["variation"]) for f in found if f["variation"]} == {
        ("straight-leg-raise", "with-band"),
        ("opposite-arm-leg-lift", "all-fours"),
    }
    for figure in found:
        assert figure["own"], figure  # each variation has drawings of its own
        assert min(len(figure["start"]), len(figure["end"])) > 20, figure
        assert figure["start"] != figure["end"]
        assert figure["steps"] == figure["repSteps"], figure  # a motion for every rep step


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_exercise_page_shows_start_and_end_side_by_side(
    page: Page, base_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + "/exercises/opposite-arm-leg-lift")
    poses = page.locator("[data-poses]").first
    expect(poses.locator("svg[role=img]")).to_have_count(2)
    start, end = poses.locator("svg[role=img]").all()
    assert "face down" in (start.get_attribute("aria-label") or "")
    assert "opposite leg lifted" in (end.get_attribute("aria-label") or "")
    boxes = [b.bounding_box() for b in (start, end)]
    assert (boxes[0]["y"], boxes[0]["x"] < boxes[1]["x"]) == (boxes[1]["y"], True)  # side by side
    fours = page.locator("[data-variation=all-fours] svg[role=img]")
    expect(fours).to_have_count(2)
    assert "all fours" in (fours.first.get_attribute("aria-label") or "")
    assert_accessible(page)


@pytest.fixture
def player(page: Page, context: BrowserContext, base_url: str) -> Page:
    context.add_init_script(SPIES)
    page.clock.install()
    go_offline(page, context, base_url)
    page.goto(base_url + "/workout")
    page.get_by_role("button", name="Start workout").click()
    return page


def t(page: Page) -> float:
    return float(page.locator(FIGURE).get_attribute("data-t") or "nan")


# Knees to chest: time to get ready and to lie down (pacing.js decides how long),
# then each rep: knees up over 3 s, two breaths of 3 s with the knees held, back
# down over 3 s.
def to_first_lift(page: Page) -> None:
    """Run the clock to the moment the first lift begins (the figure leaves the start)."""
    for _ in range(300):
        page.clock.run_for(100)
        at = t(page)
        if at > 0:
            return
        assert at == 0  # the start pose while getting ready and lying down
    raise AssertionError("the figure never started to move")


def test_the_figure_rises_holds_and_returns_with_the_phases(player: Page) -> None:
    page = player
    to_first_lift(page)
    page.clock.run_for(1400)  # half way through the 3 s lift
    assert 0.35 < t(page) < 0.65
    page.clock.run_for(1700)  # the lift is over: the end pose, still through the breaths
    assert t(page) == 1
    expect(page.locator(FIGURE)).to_have_attribute("data-pose", "end")
    page.clock.run_for(5500)
    assert t(page) == 1
    page.clock.run_for(1900)  # half way down
    assert 0.35 < t(page) < 0.65
    page.clock.run_for(1400)  # lowered: back at the start, the next lift about to begin
    assert t(page) < 0.1


def test_the_figure_stands_still_while_paused_and_goes_on_in_step(player: Page) -> None:
    page = player
    to_first_lift(page)
    page.clock.run_for(1400)
    page.get_by_role("button", name="Pause").click()
    frozen = t(page)
    assert 0.35 < frozen < 0.65
    page.clock.run_for(20_000)
    assert t(page) == frozen
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(1000)
    assert frozen < t(page) < 1  # on from where it stood, not jumped ahead
    page.clock.run_for(800)
    assert t(page) == 1


def test_reduced_motion_shows_each_phases_pose_without_moving(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    page.emulate_media(reduced_motion="reduce")
    context.add_init_script(SPIES)
    page.clock.install()
    go_offline(page, context, base_url)
    page.goto(base_url + "/workout")
    page.get_by_role("button", name="Start workout").click()
    values = []
    for _ in range(100):  # 25 s: get ready, set up, and the first two reps
        page.clock.run_for(250)
        values.append(t(page))
    assert set(values) == {0.0, 1.0}  # each phase's pose, never one in between
    assert values.index(1.0) < values.index(0.0, values.index(1.0))  # up, then down again


def test_the_pictures_stored_for_the_home_page_are_drawn_from_the_same_poses(
    page: Page, base_url: str
) -> None:
    """The cards' files are cardSvg's output: regenerate them when a pose changes."""
    figures = 'const { FIGURES } = await import("/static/js/workout/figures.js");'
    run = module_runner(page, base_url, "workout/poses", figures)
    drawn = run(
        "return Object.fromEntries(Object.keys(FIGURES)"
        ".map((id) => [id, poses.cardSvg(FIGURES[id])]));"
    )
    for exercise_id, svg in drawn.items():
        stored = (ROOT / "web" / "static" / "img" / "exercises" / f"{exercise_id}.svg").read_text()
        assert stored == svg, f"{exercise_id}.svg is out of date: python -m tests.browser.cards"
        assert "<title>" in stored


def test_the_figure_follows_skips_and_a_reload(player: Page) -> None:
    page = player
    to_first_lift(page)
    page.clock.run_for(1400)
    assert 0.35 < t(page) < 0.65
    page.get_by_role("button", name="Next").click()  # on to the breaths: the lift's end pose
    assert t(page) == 1
    page.get_by_role("button", name="Skip exercise").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    label = page.locator(FIGURE).get_attribute("aria-label") or ""
    assert "knees bent" in label
    assert t(page) == 0
    page.reload()
    page.get_by_role("button", name="Resume workout").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    assert t(page) == 0
    assert "knees bent" in (page.locator(FIGURE).get_attribute("aria-label") or "")


def test_the_crunch_lifts_only_the_head_shoulders_and_upper_back(page: Page, base_url: str) -> None:
    page.goto(base_url + "/exercises/upper-ab-crunch")
    start, end = stills(page)
    back, curled = start["torso"][0], end["torso"][0]  # from the hips to the shoulders
    for fraction in (0, 0.1, 0.2, 0.3, 0.4):  # the hips and the lower back stay on the mat
        assert along(curled, fraction)[1] == pytest.approx(along(back, fraction)[1], abs=0.5)
    assert back[-1][1] - curled[-1][1] > 6  # the shoulders come up off the mat
    upper = rising(curled[-1], along(curled, 0.45))
    assert 12 < upper < 35, upper  # a short lift of the upper back, not a sit-up
    neck = rising(end["head"], curled[-1])
    assert neck == pytest.approx(rising(curled[-1], curled[-2]), abs=3)  # head in line
    assert end["near"][-1] == start["near"][-1]  # the legs do not move


def assert_knees_tip(start: dict, end: dict, way: int) -> None:
    """Both knees go `way` (-1 left, 1 right) while shoulders and feet stay down."""
    for before, after in zip(start["near"], end["near"], strict=True):  # the two legs
        (_, knee, foot), (_, tipped, stays) = before[0], after[0]
        assert (tipped[0] - knee[0]) * way > 10, (knee, tipped)
        assert close(foot, stays)
    for shoulder, stays in zip(start["torso"][0], end["torso"][0], strict=True):
        assert close(shoulder, stays)


def test_the_knee_rolls_pictures_tip_the_knees_to_one_side(page: Page, base_url: str) -> None:
    page.goto(base_url + "/exercises/knee-rolls")
    start, end = stills(page)
    assert_knees_tip(start, end, 1)


def test_the_knee_rolls_figure_tips_the_knees_the_way_each_side_says(player: Page) -> None:
    page = player
    page.get_by_role("button", name="Skip exercise").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    svg = page.locator(FIGURE)
    seen: dict[tuple[str, str], dict] = {}
    for _ in range(300):  # 30 s: set up, then a roll to each side
        page.clock.run_for(100)
        side, at = svg.get_attribute("data-side") or "", t(page)
        moment = "start" if at == 0 else "end" if at > 0.97 else None
        if moment and side:
            seen.setdefault((side, moment), shapes(svg))
        if len(seen) == 4:
            break
    assert set(seen) == {(s, m) for s in ("left", "right") for m in ("start", "end")}, set(seen)
    assert_knees_tip(seen["left", "start"], seen["left", "end"], -1)
    assert_knees_tip(seen["right", "start"], seen["right", "end"], 1)
