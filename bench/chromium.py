"""The app served for real, and system Chromium to look at it."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live import live_server


@contextmanager
def chromium_on_live_server() -> Iterator[tuple[Browser, str]]:
    """Yield a headless Chromium and the base URL of a server on a fresh database."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        live_server(Path(tmp) / "bench.db") as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser, base
        finally:
            browser.close()
