"""What the first view of / costs: bytes as sent, measured in headless Chromium."""

from typing import Any

from bench.chromium import chromium_on_live_server
from tests.browser.conftest import PHONE

BUDGET = 40 * 1024
COUNTED = {"document", "stylesheet", "script"}


def measure(path: str = "/") -> dict[str, Any]:
    with chromium_on_live_server() as (browser, base):
        page = browser.new_page(viewport=PHONE)
        requests = []
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(base + path, wait_until="networkidle")
        rows = []
        for request in requests:
            sizes = request.sizes()
            # Bytes on the wire: the (compressed) body plus the headers.
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            rows.append((request.resource_type, request.url, size))
    counted = sum(size for kind, _, size in rows if kind in COUNTED)
    other = [url for _, url, _ in rows if not url.startswith(base)]
    return {"rows": rows, "counted": counted, "all": sum(s for _, _, s in rows), "other": other}


def run() -> dict[str, Any]:
    result = measure()
    print(
        f"First view of /: HTML+CSS+JS {result['counted'] / 1024:.1f} KiB as sent "
        f"(budget {BUDGET // 1024} KiB), everything {result['all'] / 1024:.1f} KiB "
        f"in {len(result['rows'])} requests, requests to other origins: {len(result['other'])}"
    )
    return result
