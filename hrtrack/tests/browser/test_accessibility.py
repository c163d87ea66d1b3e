"""WCAG 2.1 AA basics on the portal's pages, in real Chromium at 1280 x 800, in English and Spanish:
axe-core finds no serious or critical violation (labels, contrast, names, landmarks); the header
fits one row for anonymous visitors and every staff role; a keyboard reaches the content by the
skip link and sees where its focus is; the language switcher keeps the page; the review queue's
Confirm and Reject look different and its message counts in the singular for one."""

import pytest
from django.urls import reverse

from hrtrack.accounts.models import User
from hrtrack.directory.models import Country
from hrtrack.followup.publication import publish
from hrtrack.recommendations.models import ConceptLink, Kind, Recommendation

from .conftest import accessibility_violations, choose_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = pytest.mark.parametrize("language", ["en", "es"])
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture
def portal(personas, dialogue, themes):
    """A published dialogue round with its commitment, a published UPR recommendation to Mexico on
    torture, and a model's suggestion waiting in the review queue."""
    mexico, france = Country.objects.get(code="MX"), Country.objects.get(code="FR")
    item = Recommendation.objects.create(
        kind=Kind.RECOMMENDATION, text="Adopt a general law on torture that meets international standards.",
        cycle=3, language="en",
    )
    item.recipients.set([mexico])
    item.recommending_states.set([france])
    ConceptLink.objects.create(recommendation=item, concept=themes["torture"], origin=ConceptLink.Origin.IMPORT,
                               confirmed=True)
    ConceptLink.objects.create(recommendation=item, concept=themes["disappearances"],
                               origin=ConceptLink.Origin.MODEL, confirmed=False, confidence=0.81, model_name="themes")
    commitment = Recommendation.objects.get(dialogue=dialogue)
    publish([item, commitment], personas["coordinator"])
    publish([dialogue], personas["coordinator"])
    return {"item": item, "dialogue": dialogue, "commitment": commitment}


def public_pages(portal) -> list[tuple[str, str]]:
    """(step, path) of what an anonymous visitor reads."""
    return [
        ("home", "/"),
        ("items", reverse("recommendations:recommendations")),
        ("item", portal["item"].get_absolute_url()),
        ("dialogues", reverse("dialogues:dialogues")),
        ("series", reverse("dialogues:series", args=[portal["dialogue"].series.slug])),
        ("dialogue", portal["dialogue"].get_absolute_url()),
        ("search", reverse("search:search") + "?q=torture"),
        ("charts", reverse("portal:charts")),
        ("reports", reverse("reports:reports")),
        ("sign-in", reverse("login")),
    ]


def assert_accessible(browser, page, step: str) -> None:
    browser.screenshot(page, step)
    violations = accessibility_violations(page)
    assert violations == [], f"{step} ({page.url}): {violations}"


def assert_header_on_one_row(page) -> None:
    """The site's name, menu, search box and tools share one row, and nothing runs past the edge."""
    boxes = page.evaluate("""() => [...document.querySelectorAll('.site-header > *:not(.skip-link)')]
        .filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect(); return {name: e.className, top: r.top, bottom: r.bottom}; })""")
    assert len(boxes) >= 4, boxes
    assert max(box["top"] for box in boxes) < min(box["bottom"] for box in boxes), f"two rows: {boxes}"
    nav = page.locator(".site-nav").bounding_box()
    assert nav["height"] < 40, f"the menu wraps: {nav}"
    width = page.evaluate("() => [document.documentElement.scrollWidth, "
                          "document.querySelector('.site-header').scrollWidth]")
    assert max(width) <= VIEWPORT["width"], f"wider than the window: {width}"


@LANGUAGES
def test_an_anonymous_visitors_pages_pass_axe_and_their_header_fits_one_row(browser, portal, language):
    page = browser.new_page(**VIEWPORT)
    page.goto("/")
    choose_language(page, language)
    nav = page.locator(".site-nav")
    for name in ("recommendations:recommendations", "dialogues:dialogues", "search:search", "portal:charts",
                 "reports:reports"):
        assert nav.locator(f"a[href='{reverse(name)}']").count() == 1, name
    assert page.locator(".site-tools a.sign-in").count() == 1
    for step, path in public_pages(portal):
        page.goto(path)
        assert page.url.endswith(path), f"{path} sends an anonymous visitor to {page.url}"
        assert page.locator("html").get_attribute("lang") == language
        assert_header_on_one_row(page)
        assert_accessible(browser, page, f"anonymous-{step}")


@LANGUAGES
@pytest.mark.parametrize("persona", ["carla", "felipe", "valeria", "ada"])
def test_every_roles_header_fits_one_row_at_1280_px(browser, portal, persona, language):
    # A full name as long as the demo's ("Coordinación Mecanismo nacional").
    User.objects.filter(username=persona).update(first_name="Secretaría de Gobernación", last_name="Enlace nacional")
    page = browser.sign_in(persona, language, **VIEWPORT)
    for path in ("/", reverse("recommendations:recommendations"), portal["item"].get_absolute_url()):
        page.goto(path)
        assert_header_on_one_row(page)
    browser.screenshot(page, "header")
    # The staff's other pages are one keyboard-reachable menu away.
    page.locator(".site-nav .site-menu summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".site-nav .site-menu-items a[href='/jobs/']").is_visible()
    browser.screenshot(page, "menu")
    # Signing out is under the person's name, a keyboard away too.
    page.locator(".user-menu summary").focus()
    page.keyboard.press("Enter")
    sign_out = page.locator(".user-menu form[action='/accounts/logout/'] button")
    assert sign_out.is_visible()
    with page.expect_navigation():
        sign_out.click()
    assert page.locator(".site-tools a.sign-in").count() == 1


@LANGUAGES
def test_the_staffs_pages_and_the_review_queue_pass_axe(browser, portal, language):
    carla = browser.sign_in("carla", language, **VIEWPORT)
    for step, path in [("home", "/"), ("items", reverse("recommendations:recommendations")),
                       ("item", portal["item"].get_absolute_url()), ("dialogue", portal["dialogue"].get_absolute_url()),
                       ("search", reverse("search:search") + "?q=torture"), ("charts", reverse("portal:charts")),
                       ("reports", reverse("reports:reports")), ("moderation", reverse("contributions:moderation")),
                       ("review", reverse("nlp:review"))]:
        carla.goto(path)
        assert carla.url.endswith(path)
        assert_accessible(browser, carla, f"coordinator-{step}")
    # Confirm is the primary button, Reject the danger one: they do not look alike.
    confirm = carla.locator("button[value^='confirm:']").first
    reject = carla.locator("button[value^='reject:']").first
    colour = "e => getComputedStyle(e).backgroundColor"
    assert confirm.evaluate(colour) != reject.evaluate(colour)
    with carla.expect_navigation():
        confirm.click()
    # One suggestion: the message says so in the singular.
    message = carla.locator("p.message").inner_text()
    assert message.startswith("1 ") and ("suggestion confirmed" in message if language == "en" else True), message
    assert ConceptLink.objects.get(concept__code="enforced-disappearances").confirmed
    browser.screenshot(carla, "coordinator-review-confirmed")


def test_a_keyboard_skips_to_the_content_and_sees_its_focus(browser, portal):
    page = browser.new_page(**VIEWPORT)
    page.goto(portal["item"].get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0, "the skip link is focused off the screen"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    browser.screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"
    # The next Tab lands inside the page's content, past the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_the_language_switcher_keeps_the_page_for_an_anonymous_visitor(browser, portal):
    page = browser.new_page(**VIEWPORT)
    path = portal["item"].get_absolute_url()
    page.goto(path)
    switch = page.locator("form.language button")
    assert switch.inner_text() == "Español" and switch.get_attribute("lang") == "es"
    choose_language(page, "es")
    assert page.url.endswith(path)
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    browser.screenshot(page, "es-item")
    choose_language(page, "en")
    assert page.url.endswith(path)
