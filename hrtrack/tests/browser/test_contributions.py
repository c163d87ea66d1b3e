"""Civil-society input in real Chromium, once in English and once in Spanish: Cecilia signs up as
a contributor on the sign-up page (the language chosen in the header), comments on a published
recommendation and is told it waits for moderation; an anonymous visitor does not see it yet and
is offered to sign in; Carla the coordinator opens the moderation queue, sees Cecilia's name and
organisation (never her e-mail address) and approves it; the anonymous visitor now reads it, by
name. axe-core finds no serious or critical WCAG 2.1 AA violation on the sign-up page, the
thread and the queue.

Labels are read in the language in use (gettext at test time), so the test holds before and
after the Spanish catalogue catches up with these pages.
"""

import pytest
from django.utils import timezone, translation

from hrtrack.contributions.models import Contribution
from hrtrack.recommendations.models import Kind, Recommendation

from .conftest import accessibility_violations, choose_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "cecilia@example.org"
COMMENT = "The general law on torture is adopted, but no state prosecutor's office has a unit for it yet."


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_contributor_signs_up_comments_and_a_coordinator_approves(browser, personas, language):
    item = Recommendation.objects.create(
        kind=Kind.RECOMMENDATION, text="Adopt a general law on torture that meets international standards.",
        published_at=timezone.now(), published_by=personas["coordinator"])
    thread = f"/contribute/item/{item.pk}/"

    cecilia = browser.new_page()
    cecilia.goto(f"/contribute/sign-up/?next={thread}")
    choose_language(cecilia, language)
    assert cecilia.locator("h1").inner_text() == in_language(language, "Sign up as a civil-society contributor")
    assert accessibility_violations(cecilia) == []
    cecilia.fill("#id_name", "Cecilia Robles")
    cecilia.fill("#id_email", EMAIL)
    cecilia.fill("#id_organisation", "Centro Prodh")
    cecilia.fill("#id_password", "a long test password 42")
    browser.screenshot(cecilia, "sign-up")
    browser.submit(cecilia, "main form.stacked")
    assert cecilia.url.endswith(thread), cecilia.url

    cecilia.fill(f"#id_contribution_item_{item.pk}_text", COMMENT)
    browser.submit(cecilia, "form.contribution-form")
    waiting = in_language(language, "Thank you: your contribution waits for a moderator, and is shown once approved.")
    assert waiting in cecilia.locator("main").inner_text()
    assert COMMENT not in cecilia.locator("section.contributions").inner_text()
    assert accessibility_violations(cecilia) == []
    browser.screenshot(cecilia, "sent")

    visitor = browser.new_page()
    visitor.goto(thread)
    choose_language(visitor, language)
    assert COMMENT not in visitor.locator("main").inner_text()
    assert visitor.get_by_role("link", name=in_language(language, "Sign in to contribute")).count() == 1

    carla = browser.sign_in("carla", language)
    carla.goto("/moderation/")
    queue = carla.locator("main").inner_text()
    assert COMMENT in queue and "Cecilia Robles" in queue and "Centro Prodh" in queue
    assert EMAIL not in carla.content()
    assert accessibility_violations(carla) == []
    browser.screenshot(carla, "queue")
    browser.submit(carla, "form[action$='/approve/']")
    assert Contribution.objects.get().state == Contribution.State.APPROVED
    assert in_language(language, "Nothing here.") in carla.locator("main").inner_text()

    visitor.reload()
    shown = visitor.locator("section.contributions").inner_text()
    assert COMMENT in shown and "Cecilia Robles" in shown and "Centro Prodh" in shown
    assert EMAIL not in visitor.content()
    assert accessibility_violations(visitor) == []
    browser.screenshot(visitor, "approved")
