"""With two-factor sign-in on (the test settings turn it off elsewhere): a coordinator signs in, sets
up an authenticator from the key the page shows, keeps the backup codes, and reaches the staff site;
the next sign-in asks for the code (a backup code here). The pages hold no inline script and pass
axe-core's WCAG 2.1 AA checks."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from .conftest import PASSWORD, STEP_TIMEOUT_MS, accessibility_violations, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def code_from_key(key: str) -> str:
    """What an authenticator app shows now for the key as the page prints it (base32, in groups)."""
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def new_page(browser):
    """A tab as Browser.new_page makes one, that lets axe-core be injected past the site's CSP."""
    context = browser.browser.new_context(base_url=browser.base_url, locale="en-US", bypass_csp=True,
                                          viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    browser.pages.append(page)
    return page


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/?next=/my-work/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit(page, "main form[action='/accounts/login/']")


def test_a_coordinator_sets_up_two_factor_sign_in_and_uses_it(browser, personas, settings):
    settings.HRTRACK_REQUIRE_TWO_FACTOR = True
    page = new_page(browser)
    password_step(page, "carla")
    assert page.url.endswith("/accounts/two-factor/setup/?next=%2Fmy-work%2F")
    assert page.locator("figure.qr-code svg").is_visible()
    assert page.locator("script:not([src])").count() == 0
    assert accessibility_violations(page) == []
    browser.screenshot(page, "setup")

    page.fill("#id_code", code_from_key(page.locator("code.totp-key").inner_text()))
    submit(page, "main form[action='/accounts/two-factor/setup/']")
    codes = page.locator("ul.backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert accessibility_violations(page) == []
    browser.screenshot(page, "backup-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    assert page.url.endswith("/my-work/")

    again = new_page(browser)
    password_step(again, "carla")
    assert "/accounts/two-factor/?next=" in again.url
    assert accessibility_violations(again) == []
    assert again.goto("/my-work/").url.startswith(f"{browser.base_url}/accounts/two-factor/")
    again.fill("#id_code", codes[0])
    submit(again, "main form[action='/accounts/two-factor/']")
    assert "You signed in with a backup code: 9 left." in again.content()
    with again.expect_navigation():
        again.get_by_role("link", name="Continue").click()
    assert again.url.endswith("/my-work/")
