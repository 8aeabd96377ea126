"""One source for each shared rule, seen from the browser: the rules module the
pages import says what the server's models say, and every error code the server
can answer is worded for a person in each language."""

from typing import Any

import pytest
from playwright.sync_api import Page

from server import rules
from server.errors import ERROR_CODES
from tests.browser.helpers import module_runner


def test_the_pages_import_the_rules_the_server_keeps(page: Page, base_url: str) -> None:
    run = module_runner(page, base_url, "lib/rules")
    served: dict[str, Any] = run("return { ...rules };")
    assert served == rules.rules()


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_every_error_code_of_the_server_is_worded(page: Page, base_url: str, lang: str) -> None:
    page.goto(f"{base_url}/{'' if lang == 'en' else lang + '/'}about")
    page.wait_for_load_state("load")
    words = dict(
        page.evaluate(
            """async (codes) => {
                const api = await import("/static/js/sync/api.js");
                return codes.map((code) => [code, api.serverMessage(code)]);
            }""",
            sorted(ERROR_CODES),
        )
    )
    unworded = sorted(code for code, text in words.items() if not text)
    assert unworded == [], f"serverMessage has no words for {unworded}"
    if lang != "en":
        english = "The server did not accept the request."
        assert words["not_found"] != english, "the words are not in the page's language"
