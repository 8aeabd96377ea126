"""Offline budgets: what the service worker precaches, and how fast a repeat
visit paints from it with no network, beside the same page online."""

import statistics
from typing import Any

from fastapi.testclient import TestClient
from playwright.sync_api import Page

from bench.chromium import chromium_on_live_server
from server.app import create_app
from server.settings import Settings
from tests.browser.conftest import PHONE

BUDGET = 400 * 1024
RUNS = 9
FCP = """() => new Promise(resolve => {
  const read = () => performance.getEntriesByName('first-contentful-paint')[0];
  const found = read();
  if (found) return resolve(found.startTime);
  new PerformanceObserver((list, observer) => { observer.disconnect(); resolve(read().startTime); })
    .observe({type: 'paint', buffered: true});
})"""


def precache_size() -> dict[str, int]:
    """Sum the bodies of every precached URL, as stored (plain) and as sent (gzip)."""
    app = create_app(Settings(database_url="sqlite://"))
    plain = packed = 0
    with TestClient(app) as client:
        for url in app.state.pwa.precache:
            plain += len(client.get(url, headers={"Accept-Encoding": "identity"}).content)
            response = client.get(
                url,
                headers={"Accept-Encoding": "gzip"},
            )
            packed += int(response.headers["content-length"])
    return {"plain": plain, "gzip": packed, "files": len(app.state.pwa.precache)}


def first_paint(page: Page, url: str) -> float:
    page.goto(url)
    return float(page.evaluate(FCP))


def paint_times(path: str = "/") -> dict[str, float]:
    with chromium_on_live_server() as (browser, base):
        online, offline = [], []
        for _ in range(RUNS):
            # Online: a first visit, nothing cached, served over loopback.
            context = browser.new_context(viewport=PHONE)
            page = context.new_page()
            online.append(first_paint(page, base + path))
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            page.close()
            # Offline: the same page again, from the service worker, network cut.
            context.set_offline(True)
            page = context.new_page()
            offline.append(first_paint(page, base + path))
            context.close()
    return {"online": statistics.median(online), "offline": statistics.median(offline)}


def run() -> dict[str, Any]:
    size = precache_size()
    print(
        f"Precache: {size['files']} files, {size['plain'] / 1024:.1f} KiB stored "
        f"({size['gzip'] / 1024:.1f} KiB sent gzipped), budget {BUDGET // 1024} KiB"
    )
    paint = paint_times()
    print(
        f"First contentful paint of /, median of {RUNS}: offline repeat visit from the "
        f"service worker {paint['offline']:.0f} ms, online first visit over loopback "
        f"{paint['online']:.0f} ms (offline/online = {paint['offline'] / paint['online']:.2f})"
    )
    return {"size": size, "paint": paint}
