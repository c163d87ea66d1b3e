"""Real Chromium driving the site: Debian's ``chromium`` (``make test`` installs it) through
Playwright's sync API, against pytest-django's live server (one per pytest-xdist worker, each on a
port of its own, over that worker's test database).

The tests fail, never skip, when Chromium or Playwright is missing. Each test saves screenshots of
the pages a person would look at into ``var/test-output/screenshots/`` (``HRTRACK_TEST_OUTPUT``
names another folder), named by test, language and step; a failing test saves the page it was on.

Accessibility is checked with axe-core (``make test`` installs it from the npm registry into
``var/node/``; ``HRTRACK_AXE`` names another ``axe.min.js``), injected into the page: the tests fail,
never skip, when it is missing.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

#: Debian's Chromium; Playwright never downloads a browser of its own here.
CHROMIUM = Path(os.environ.get("HRTRACK_CHROMIUM", "/usr/bin/chromium"))
OUTPUT_DIR = Path(os.environ.get("HRTRACK_TEST_OUTPUT", settings.BASE_DIR / "var" / "test-output"))
#: The personas' password (hrtrack/conftest.py).
PASSWORD = "a long test password"
#: How long a step may wait for the page: a slow step fails the test instead of hanging it.
STEP_TIMEOUT_MS = 15_000
#: axe-core's browser build, installed by `make test` (never committed, never fetched at run time).
AXE = Path(os.environ.get("HRTRACK_AXE", settings.BASE_DIR / "var/node/node_modules/axe-core/axe.min.js"))
#: What axe-core checks: WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The impacts that fail a test; "minor" and "moderate" findings are only reported.
FAILING_IMPACTS = ("serious", "critical")
#: What Chromium's console errors say when the Content-Security-Policy refuses a script, a style, an image...
CSP_ERROR = "Content Security Policy"

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


class Browser:
    """One Chromium for one test: a signed-in tab per persona (each in its own browser context, so
    their sessions never mix), and screenshots named by the test."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.test_name = test_name
        self.pages = []
        self.shots = 0
        #: What Chromium's console said about the Content-Security-Policy: the test fails on any of it.
        self.csp_violations: list[str] = []

    def new_page(self, width: int = 1280, height: int = 900):
        """A fresh tab with no session, its browser asking for English, as a visitor's would."""
        context = self.browser.new_context(base_url=self.base_url, locale="en-US",
                                           viewport={"width": width, "height": height})
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        page.on("console", lambda message: self._watch_policy(page, message))
        self.pages.append(page)
        return page

    def _watch_policy(self, page, message) -> None:
        if message.type == "error" and CSP_ERROR in message.text:
            self.csp_violations.append(f"{page.url}: {message.text}")

    def sign_in(self, username: str, language: str = "en", **viewport):
        """A tab where ``username`` signed in on the sign-in page, having chosen ``language`` with
        the site's language form first (it is remembered across sign-in)."""
        page = self.new_page(**viewport)
        page.goto("/accounts/login/")
        choose_language(page, language)
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        submit(page, "main form[action='/accounts/login/']")
        assert page.url.rstrip("/") == self.base_url.rstrip("/"), f"{username} could not sign in: {page.url}"
        return page

    @staticmethod
    def submit(page, form: str) -> None:
        """Press the submit button of the form that the selector ``form`` finds, and wait for
        the page the form leads to."""
        submit(page, form)

    def screenshot(self, page, step: str) -> Path:
        """Save the whole page as ``<test>-<nn>-<step>.png`` (the test's name holds its language)."""
        self.shots += 1
        path = OUTPUT_DIR / "screenshots" / f"{self.test_name}-{self.shots:02d}-{step}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True)
        return path


def accessibility_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it is now, each as
    ``{"id", "impact", "help", "targets"}`` (the CSS selectors of the elements at fault)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: `make test` installs it (npm install into var/node/).")
    # Evaluated through the DevTools protocol, not added as an inline <script>: the site's
    # Content-Security-Policy refuses inline scripts, and the test would report its own tag.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [{"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
             "targets": [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]}
            for violation in result["violations"] if violation["impact"] in FAILING_IMPACTS]


def submit(page, form: str) -> None:
    """Press the submit button of the form that the selector ``form`` finds, and wait for the page
    the form leads to."""
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").first.click()


def choose_language(page, language: str) -> None:
    """Switch the site's language with the button in every page's header that names it (nothing
    to press when the page is in it already)."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator(f"form.language button[value='{language}']").click()
    assert page.locator("html").get_attribute("lang") == language


@pytest.fixture
def chromium(monkeypatch) -> Iterator:
    """Debian's Chromium, started by Playwright for this test."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: the browser tests need it "
                    "(`make test` installs it: apt-get install chromium chromium-driver).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright is missing ({error}): `make install` installs the test extra.")
    # Playwright's sync API keeps an asyncio loop set on this thread while it runs, and Django
    # refuses the ORM where a loop runs; the test's own queries are plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()
            # With that loop set, Django keeps this thread's database connections apart from those
            # it had before (asgiref's Local): close them while they can still be reached, or
            # PostgreSQL cannot drop the test database at the end of the run.
            connections.close_all()


@pytest.fixture
def browser(request, live_server, chromium) -> Iterator[Browser]:
    """Chromium pointed at the live server; on a failure, the page each persona was on is saved."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    session = Browser(chromium, live_server.url, name)
    yield session
    if getattr(request.node, "browser_test_failed", False):
        for page in session.pages:
            if not page.is_closed():
                session.screenshot(page, "failed")
    if session.csp_violations:
        pytest.fail("The Content-Security-Policy refused something on the pages:\n" + "\n".join(session.csp_violations))
