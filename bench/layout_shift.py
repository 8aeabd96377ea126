"""Cumulative Layout Shift of each page in headless Chromium, on a phone-sized
screen, while it loads and its scripts fill it in (PerformanceObserver
`layout-shift`), on a first visit and on a visit once the service worker runs."""

from typing import Any

from playwright.sync_api import Browser

from bench.chromium import chromium_on_live_server
from tests.browser.conftest import PHONE

PAGES = ["/", "/workout", "/history", "/summary", "/settings"]
SETTLE_MS = 2500  # scripts, the sync indicator, the install button and notices

# Every shift not caused by input, with what moved, from before the first paint on.
OBSERVE = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({ value: entry.value, sources: (entry.sources || []).map((s) =>
      s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?") });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def shifts(browser: Browser, base: str, path: str, repeat: bool) -> dict[str, Any]:
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.add_init_script(OBSERVE)
    page = context.new_page()
    if repeat:  # the second visit: the worker controls the page and caches serve it
        page.goto(base + path)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(base + path)
    page.wait_for_timeout(SETTLE_MS)
    found = page.evaluate("window.__shifts")
    context.close()
    return {"cls": sum(s["value"] for s in found), "sources": [s["sources"] for s in found]}


def run() -> dict[str, float]:
    worst: dict[str, float] = {}
    with chromium_on_live_server() as (browser, base):
        for path in PAGES:
            first = shifts(browser, base, path, repeat=False)
            again = shifts(browser, base, path, repeat=True)
            worst[path] = max(first["cls"], again["cls"])
            moved = {str(s) for s in first["sources"] + again["sources"]}
            what = f" (moved: {', '.join(sorted(moved))})" if moved else ""
            print(
                f"Layout shift of {path}: first visit {first['cls']:.3f}, "
                f"again {again['cls']:.3f}{what}"
            )
    return worst


if __name__ == "__main__":
    run()
