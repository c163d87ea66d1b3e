"""The browser reaches the site: a coordinator signs in, in English or in Spanish, and sees the home page."""

import pytest

# The live server commits for real: the database is emptied after each test and its migrated rows
# (the countries) put back for the next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("language, home", [("en", "Home"), ("es", "Inicio")], ids=["en", "es"])
def test_a_coordinator_signs_in_and_sees_the_home_page_in_their_language(browser, personas, language, home):
    page = browser.sign_in("carla", language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == home
    assert page.locator(".site-tools .user").inner_text() == "carla"
    browser.screenshot(page, "home")
