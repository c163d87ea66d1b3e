"""The moderation queue: coordinators and administrators approve or reject (with a reason); only
approved contributions are shown, and history keeps who decided and when."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from hrtrack.contributions import workflow
from hrtrack.contributions.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(cecilia, item):
    return workflow.submit(item, cecilia, text="The law is still not in force.")


def test_a_comment_shows_once_a_coordinator_approves_it(cecilia_client, item, personas, client):
    cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "The law is still not in force."})
    contribution = Contribution.objects.get()
    cecilia_client.logout()
    assert "The law is still not in force." not in client.get(f"/contribute/item/{item.pk}/").content.decode()

    client.force_login(personas["coordinator"])
    queue = client.get("/moderation/").content.decode()
    assert "The law is still not in force." in queue and "Cecilia Robles" in queue and "Centro Prodh" in queue
    response = client.post(f"/moderation/{contribution.pk}/approve/")
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.state, contribution.moderated_by) == ("approved", personas["coordinator"])
    assert contribution.moderated_at is not None

    client.logout()
    page = client.get(f"/contribute/item/{item.pk}/").content.decode()
    assert "The law is still not in force." in page and "Cecilia Robles" in page and "Centro Prodh" in page
    data = client.get(f"/contribute/item/{item.pk}.json").json()
    assert data["count"] == 1
    assert data["results"][0]["author"] == {"name": "Cecilia Robles", "organisation": "Centro Prodh"}
    assert data["results"][0]["text"] == "The law is still not in force."


def test_a_rejected_comment_is_never_shown(pending, personas, client, item):
    client.force_login(personas["coordinator"])
    response = client.post(f"/moderation/{pending.pk}/reject/", {"reason": "Off topic"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.state, pending.reason, pending.moderated_by) == ("rejected", "Off topic", personas["coordinator"])
    client.logout()
    assert "still not in force" not in client.get(f"/contribute/item/{item.pk}/").content.decode()
    assert client.get(f"/contribute/item/{item.pk}.json").json()["count"] == 0


def test_rejecting_needs_a_reason(pending, personas, client):
    client.force_login(personas["coordinator"])
    client.post(f"/moderation/{pending.pk}/reject/", {"reason": "  "})
    response = client.post(f"/moderation/{pending.pk}/reject.json", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_history_says_who_approved_and_when(pending, personas):
    workflow.approve(pending, personas["admin"])
    latest = pending.history.first()
    assert (latest.state, latest.history_user, latest.history_change_reason) == ("approved", personas["admin"],
                                                                                  "approved")
    assert pending.history.last().history_user.first_name == "Cecilia Robles"


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_only_coordinators_and_administrators_moderate(who, pending, personas, client):
    client.force_login(personas[who])
    assert client.get("/moderation/").status_code == 403
    assert client.post(f"/moderation/{pending.pk}/approve/").status_code == 403
    response = client.post(f"/moderation/{pending.pk}/approve.json")
    assert response.status_code == 403 and "error" in response.json()
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_contributors_and_anonymous_visitors_stay_out_of_the_queue(pending, cecilia_client, client):
    assert cecilia_client.get("/moderation/").status_code == 403
    assert cecilia_client.get("/moderation.json").status_code == 403
    assert cecilia_client.post(f"/moderation/{pending.pk}/approve/").status_code == 403
    cecilia_client.logout()
    assert client.get("/moderation.json").status_code == 401
    assert client.get("/moderation/").status_code == 302
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_the_queue_as_json(pending, admin_client):
    data = admin_client.get("/moderation.json").json()
    assert data["count"] == 1
    entry = data["results"][0]
    assert (entry["state"], entry["author"]["name"], entry["on"]["model"]) == ("pending", "Cecilia Robles", "item")
    approved = admin_client.post(f"/moderation/{pending.pk}/approve.json").json()
    assert approved["state"] == "approved" and approved["moderated_by"] == "ada"
    assert admin_client.get("/moderation.json").json()["count"] == 0
    assert admin_client.get("/moderation.json?state=approved").json()["count"] == 1
    assert admin_client.get("/moderation.json?state=nonsense").status_code == 400


def test_moderating_what_does_not_exist_is_a_404(coordinator_client):
    assert coordinator_client.post("/moderation/999/approve/").status_code == 404
    assert coordinator_client.post("/moderation/999/approve.json").status_code == 404
    assert coordinator_client.get("/moderation/1/approve/").status_code == 405


def test_an_approved_contribution_goes_when_its_item_is_unpublished(pending, personas, client, item):
    workflow.approve(pending, personas["coordinator"])
    item.published_at = None
    item.save()
    assert client.get(f"/contribute/item/{item.pk}.json").status_code == 404


def render_thread(target, user):
    request = RequestFactory().get(target.get_absolute_url())
    request.user = user
    template = Template('{% include "contributions/_thread.html" with target=target %}')
    return template.render(Context({"target": target, "request": request, "user": user}))


def test_the_thread_include_shows_approved_contributions_and_the_form(pending, cecilia, personas, item):
    from django.contrib.auth.models import AnonymousUser

    html = render_thread(item, cecilia)
    assert "still not in force" not in html and 'name="text"' in html and 'name="file"' in html
    workflow.approve(pending, personas["coordinator"])
    html = render_thread(item, AnonymousUser())
    assert "still not in force" in html and "Cecilia Robles" in html and "Sign in to contribute" in html
    assert 'name="text"' not in html


def test_the_thread_on_a_report_takes_comments_without_files(report, cecilia):
    html = render_thread(report, cecilia)
    assert f'action="/contribute/report/{report.pk}/"' in html
    # Several reports' threads on one page keep their anchors and fields apart.
    assert f'id="contributions-report-{report.pk}"' in html and f'id="id_contribution_report_{report.pk}_text"' in html
    assert 'name="text"' in html and 'name="file"' not in html and 'name="url"' not in html


def test_the_thread_and_the_queue_ask_the_database_as_often_for_many_as_for_one(cecilia, personas, item, report,
                                                                                 client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)

    def thread():
        return render_thread(item, cecilia)

    client.force_login(personas["coordinator"])

    def queue():
        assert client.get("/moderation/").status_code == 200

    workflow.approve(workflow.submit(item, cecilia, text="one"), personas["coordinator"])
    workflow.submit(report, cecilia, text="waiting on a report")
    few = queries(thread), queries(queue)
    for n in range(5):
        workflow.approve(workflow.submit(item, cecilia, text=f"more {n}"), personas["coordinator"])
        workflow.submit(report, cecilia, text=f"waiting {n}")
    assert (queries(thread), queries(queue)) == few
