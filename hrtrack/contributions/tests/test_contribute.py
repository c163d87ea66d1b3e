"""Commenting on published items and reports, sending evidence, and who sees what."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.contributions import workflow
from hrtrack.contributions.models import Contribution
from hrtrack.followup.models import ProgressReport

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post_comment(client, item, text="The law is still not in force.", **extra):
    return client.post(f"/contribute/item/{item.pk}/", {"text": text, **extra})


def test_a_contributor_comments_and_it_waits_for_moderation(cecilia_client, item):
    response = post_comment(cecilia_client, item)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.item, contribution.state, contribution.kind) == (item, "pending", "comment")
    assert (contribution.author_name, contribution.organisation) == ("Cecilia Robles", "Centro Prodh")
    page = cecilia_client.get(response["Location"])
    assert "waits for a moderator" in page.content.decode()
    assert "The law is still not in force." not in page.content.decode()
    assert cecilia_client.get(f"/contribute/item/{item.pk}.json").json()["count"] == 0


def test_anonymous_visitors_cannot_post(client, item):
    response = post_comment(client, item)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"/contribute/item/{item.pk}.json", {"text": "Hello"})
    assert response.status_code == 401 and "error" in response.json()
    assert not Contribution.objects.exists()


def test_anonymous_visitors_get_a_link_to_sign_in(client, item):
    page = client.get(f"/contribute/item/{item.pk}/").content.decode()
    assert "Sign in to contribute" in page and "/contribute/sign-up/" in page
    assert 'name="text"' not in page


def test_staff_focal_points_may_comment_too(focal_point_client, item):
    assert post_comment(focal_point_client, item).status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.author_name == "felipe" and contribution.organisation == "Ministry of the Interior"


@pytest.mark.parametrize("who", ["cecilia_client", "client", "focal_point_client"])
def test_an_unpublished_item_is_a_404(request, who, unpublished_item):
    client = request.getfixturevalue(who)
    assert client.post(f"/contribute/item/{unpublished_item.pk}/", {"text": "x"}).status_code == 404
    assert client.post(f"/contribute/item/{unpublished_item.pk}.json", {"text": "x"}).status_code == 404
    assert not Contribution.objects.exists()


def test_anonymous_and_contributors_get_404_for_an_unpublished_item_page(client, cecilia_client, unpublished_item):
    assert client.get(f"/contribute/item/{unpublished_item.pk}/").status_code == 404
    response = client.get(f"/contribute/item/{unpublished_item.pk}.json")
    assert response.status_code == 404 and "error" in response.json()


def test_a_report_not_validated_takes_no_comment(cecilia_client, report):
    ProgressReport.objects.filter(pk=report.pk).update(state=ProgressReport.State.SUBMITTED)
    assert cecilia_client.post(f"/contribute/report/{report.pk}/", {"text": "x"}).status_code == 404
    assert not Contribution.objects.exists()


def test_a_contributor_comments_on_a_public_report(cecilia_client, report):
    response = cecilia_client.post(f"/contribute/report/{report.pk}.json", {"text": "Congress has not voted."})
    assert response.status_code == 201 and response.json()["state"] == "pending"
    assert Contribution.objects.get().report == report


def test_evidence_a_link_or_a_checked_file(cecilia_client, item):
    post_comment(cecilia_client, item, "The draft law", url="https://example.org/draft.pdf")
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "Our shadow report", "file": upload})
    link, file = Contribution.objects.order_by("pk")
    assert (link.kind, link.url) == ("evidence", "https://example.org/draft.pdf")
    assert (file.kind, file.content_type, file.file_name, file.size) == ("evidence", "application/pdf",
                                                                        "report.pdf", len(PDF))
    assert len(file.sha256) == 64


def test_a_file_that_is_not_what_it_says_is_refused(cecilia_client, item):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    response = cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "Look", "file": upload})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_javascript_link_is_refused(cecilia_client, item):
    response = post_comment(cecilia_client, item, url="javascript:alert(1)")
    assert response.status_code == 400
    response = cecilia_client.post(f"/contribute/item/{item.pk}.json", {"text": "x", "url": "javascript:alert(1)"})
    assert response.status_code == 400 and "url" in response.json()["fields"]
    assert not Contribution.objects.exists()


def test_an_empty_comment_is_refused(cecilia_client, item):
    assert post_comment(cecilia_client, item, text="  ").status_code == 400
    assert not Contribution.objects.exists()


def test_a_report_takes_comments_only(cecilia_client, report):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    cecilia_client.post(f"/contribute/report/{report.pk}/", {"text": "A comment", "file": upload,
                                                            "url": "https://example.org/"})
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.url, contribution.file.name) == ("comment", "", "")
    with pytest.raises(ValueError):
        workflow.submit(report, contribution.author, text="x", url="https://example.org/")


def test_a_pending_file_is_for_its_author_and_moderators_only(cecilia_client, item, personas, client):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    cecilia_client.post(f"/contribute/item/{item.pk}/", {"text": "Our shadow report", "file": upload})
    contribution = Contribution.objects.get()
    assert cecilia_client.get(f"/contribute/files/{contribution.pk}/").status_code == 200
    cecilia_client.logout()
    assert client.get(f"/contribute/files/{contribution.pk}/").status_code == 404
    client.force_login(personas["coordinator"])
    response = client.get(f"/contribute/files/{contribution.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_page_and_json_are_for_get_and_post_only(cecilia_client, item):
    assert cecilia_client.delete(f"/contribute/item/{item.pk}/").status_code == 405


def test_an_unknown_model_is_a_404(client):
    assert client.get("/contribute/dialogue/1/").status_code == 404
    assert client.get("/contribute/item/999999/").status_code == 404


def test_a_file_is_not_kept_when_saving_fails(cecilia, item, settings, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Contribution, "save", fail)
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    with pytest.raises(RuntimeError):
        workflow.submit(item, cecilia, text="x", upload=upload)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
