"""Chromium enforces the site's Content-Security-Policy: the public pages, the search, the charts and
the admin load without one refusal (every browser test fails on any, see conftest.py), and the check
itself catches an inline style or script when a page has one."""

import pytest

# The live server commits for real: the database is emptied after each test and its migrated rows
# (the countries) put back for the next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_public_pages_load_under_the_policy(browser):
    page = browser.new_page()
    for path in ("/", "/recommendations/", "/search/?q=torture", "/charts/", "/dialogues/", "/reports/",
                 "/accounts/login/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert browser.csp_violations == []


def test_the_admin_works_under_the_policy(browser, personas):
    page = browser.sign_in("ada")
    for path in ("/admin/", "/admin/recommendations/recommendation/", "/admin/accounts/user/add/",
                 f"/admin/accounts/user/{personas['admin'].pk}/history/"):
        response = page.goto(path)
        assert response.status == 200, path
    # The admin's own scripts ran: the user form's filter widgets are drawn by SelectFilter2.js.
    page.goto(f"/admin/accounts/user/{personas['admin'].pk}/change/")
    assert page.locator(".selector").count() >= 1
    assert browser.csp_violations == []


def test_the_check_catches_an_inline_style_and_an_inline_script(browser):
    page = browser.new_page()
    page.goto("/")
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<p style="color: red">styled</p>');
        const script = document.createElement('script');
        script.textContent = 'window.ran = true';
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    refused = list(browser.csp_violations)
    assert any("style-src" in line for line in refused), refused
    assert any("script-src" in line for line in refused), refused
    browser.csp_violations.clear()  # seen: this test's own refusals must not fail it
