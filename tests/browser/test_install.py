"""Install offers and storage, as the user sees them."""

from playwright.sync_api import Browser, Page, expect

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def test_install_button_appears_when_the_browser_offers_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    install = page.get_by_role("button", name="Install")
    expect(install).to_be_hidden()
    page.evaluate(
        """() => {
            const offer = new Event("beforeinstallprompt", { cancelable: true });
            offer.prompt = () => { window.prompted = true; };
            offer.userChoice = Promise.resolve({ outcome: "accepted" });
            window.dispatchEvent(offer);
            window.offer = offer;
        }"""
    )
    expect(install).to_be_visible()
    assert page.evaluate("() => window.offer.defaultPrevented")
    install.click()
    assert page.evaluate("() => window.prompted === true")
    expect(install).to_be_hidden()
    page.evaluate("() => window.dispatchEvent(new Event('appinstalled'))")
    expect(page.get_by_role("status")).to_contain_text("Installed")


def test_iphone_safari_gets_the_add_to_home_screen_how_to(browser: Browser, base_url: str) -> None:
    context = browser.new_context(user_agent=IPHONE_SAFARI, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        how_to = page.get_by_role("region", name="Add it to your Home Screen")
        expect(how_to).to_be_visible()
        expect(how_to).to_contain_text("Share")
        expect(how_to).to_contain_text("Add to Home Screen")
    finally:
        context.close()


def test_other_browsers_do_not_get_the_ios_how_to(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.get_by_role("region", name="Add it to your Home Screen")).to_be_hidden()


def test_settings_show_how_data_is_stored(page: Page, base_url: str) -> None:
    page.goto(base_url + "/settings")
    storage = page.get_by_role("region", name="Storage on this device")
    expect(storage.locator("[data-usage]")).to_contain_text("used")
    expect(storage.locator("[data-persisted]")).to_have_text(
        "Not guaranteed: the browser may clear it if the device runs low on space."
    )
    ask = storage.get_by_role("button", name="Ask the browser to keep my data")
    expect(ask).to_be_visible()
    # Pretend the browser grants it, as Chrome does for an installed app.
    page.evaluate(
        """() => {
            navigator.storage.persist = async () => true;
            navigator.storage.persisted = async () => true;
        }"""
    )
    ask.click()
    expect(storage.locator("[data-persisted]")).to_have_text(
        "Kept: the browser will not clear it to free up space."
    )
    expect(ask).to_be_hidden()
