"""What a hostile or careless contributor cannot do: run scripts in others' pages, flood the
queue, or have their e-mail address shown."""

import pytest

from hrtrack.contributions import workflow
from hrtrack.contributions.models import Contribution
from hrtrack.contributions.sanitize import clean_html

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x")</script>Hello',
    '<img src=x onerror="alert(1)">Hello',
    '<a href="javascript:alert(1)">Hello</a>',
    '<a href="JaVaScRiPt:alert(1)" onclick="alert(1)">Hello</a>',
    '<p onmouseover="alert(1)">Hello</p>',
    '<svg><script>alert(1)</script></svg>Hello',
    '<iframe src="https://evil.example"></iframe>Hello',
    '<a href="jav&#x09;ascript:alert(1)">Hello</a>',
    '<style>body{display:none}</style>Hello',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_scripts_are_removed(payload):
    html = clean_html(payload).lower()
    assert "hello" in html
    for danger in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "<iframe", "<svg", "<img",
                   "<style", "alert"):
        assert danger not in html


def test_the_allowed_markup_stays_and_links_get_nofollow():
    html = clean_html('<p>See <a href="https://example.org/report">our <strong>report</strong></a></p>'
                      '<ul><li><em>one</em></li></ul><br>')
    assert '<a href="https://example.org/report" rel="nofollow">our <strong>report</strong></a>' in html
    assert "<ul><li><em>one</em></li></ul>" in html


def test_plain_text_is_escaped_into_paragraphs():
    assert clean_html("Line one & two\n\n2 < 3") == "<p>Line one &amp; two</p>\n\n<p>2 &lt; 3</p>"


def test_markup_without_paragraphs_keeps_its_blank_lines():
    assert clean_html("One <em>two</em>\n\nThree") == "<p>One <em>two</em></p>\n\n<p>Three</p>"


def test_a_comment_that_is_all_script_is_refused(cecilia_client, item):
    response = cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_sent_through_the_page_never_reaches_another_page(payload, cecilia_client, item, personas,
                                                                    client):
    cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": payload})
    contribution = Contribution.objects.get()
    client.force_login(personas["coordinator"])
    queue = client.get("/moderation/").content.decode().lower()
    assert "hello" in queue and "alert" not in queue and "javascript:" not in queue
    workflow.approve(contribution, personas["coordinator"])
    client.logout()
    page = client.get(f"/contribute/item/{item.pk}/").content.decode().lower()
    assert "hello" in page and "alert" not in page and "javascript:" not in page
    assert "alert" not in client.get(f"/contribute/item/{item.pk}.json").content.decode().lower()


def test_submissions_over_the_limit_get_429_and_save_nothing(cecilia_client, item, settings):
    settings.CONTRIBUTIONS_PER_HOUR_PER_USER = 2
    for n in range(2):
        assert cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": f"Comment {n}"}).status_code == 302
    page = cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "One too many"})
    assert page.status_code == 429 and "too many contributions" in page.content.decode()
    answer = cecilia_client.post(f"/contribute/item/{item.pk}.json", {"text": "One too many"})
    assert answer.status_code == 429 and "too many contributions" in answer.json()["error"]
    assert answer["Retry-After"] == "3600"
    assert Contribution.objects.count() == 2


def test_the_limit_per_address_holds_across_accounts(cecilia_client, item, settings, personas):
    settings.CONTRIBUTIONS_PER_HOUR_PER_ADDRESS = 1
    assert cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "First"}).status_code == 302
    cecilia_client.force_login(personas["focal_point"])
    assert cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "Second"}).status_code == 429
    assert Contribution.objects.count() == 1


def test_a_refused_form_does_not_count_against_the_limit(cecilia_client, item, settings):
    settings.CONTRIBUTIONS_PER_HOUR_PER_USER = 1
    assert cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": ""}).status_code == 400
    assert cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "Now right"}).status_code == 302


def test_the_e_mail_address_is_never_shown(cecilia, cecilia_client, item, report, personas, client):
    cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "On the item"})
    cecilia_client.post(f"/contribute/report/{report.pk}/", {"text": "On the report"})
    client.force_login(personas["coordinator"])
    pages = [client.get("/moderation/"), client.get("/moderation.json")]
    for contribution in Contribution.objects.all():
        pages.append(client.post(f"/moderation/{contribution.pk}/approve.json"))
    pages += [client.get("/moderation/?state=approved"), client.get("/moderation.json?state=approved")]
    client.logout()
    pages += [client.get(f"/contribute/item/{item.pk}/"), client.get(f"/contribute/item/{item.pk}.json"),
              client.get(f"/contribute/report/{report.pk}/"), client.get(f"/contribute/report/{report.pk}.json")]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        assert "Cecilia Robles" in text
        assert "cecilia@example.org" not in text and "cecilia@" not in text


def test_the_admin_shows_the_e_mail_to_administrators_only(cecilia, item, personas, client):
    from hrtrack.accounts.models import Role, User

    contribution = workflow.submit(item, cecilia, text="A comment")
    carla = User.objects.get(username="carla")
    carla.is_staff = True
    carla.save()
    assert carla.role == Role.COORDINATOR
    client.force_login(carla)
    for url in ["/admin/contributions/contribution/", f"/admin/contributions/contribution/{contribution.pk}/change/",
                f"/admin/contributions/contribution/{contribution.pk}/history/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "cecilia@example.org" not in response.content.decode(), url
    client.force_login(personas["admin"])
    page = client.get(f"/admin/contributions/contribution/{contribution.pk}/change/").content.decode()
    assert "cecilia@example.org" in page
