"""Every error under /api/v1/ is JSON with its real status code (never an HTML page or a 500), and
the rate limits answer 429 with Retry-After, per token and per address."""

import pytest
from django.test import Client

from hrtrack.api.models import ApiToken


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/recommendations/abc", "/api/v1/x/", "/api/v1/reports/1/x",
                                  "/api/v1/recommendations/99999999999999999999"])
def test_an_address_under_the_api_that_names_nothing_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_a_missing_object_is_a_json_404(client, db):
    for path in ("/api/v1/recommendations/12345", "/api/v1/dialogues/12345", "/api/v1/reports/12345"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"], path


def test_a_method_an_operation_does_not_take_is_a_json_405_with_allow(client, db):
    response = client.delete("/api/v1/recommendations")
    assert response.status_code == 405 and response.json()["error"]
    assert "GET" in response["Allow"]
    assert client.get("/api/v1/reports/1/submit").status_code in (401, 405)


def test_a_body_that_is_not_json_is_a_400(world, personas):
    _token, key = ApiToken.create_for(personas["focal_point"], "script")
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        f"/api/v1/reports/{world['draft'].pk}/submit", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_a_body_too_large_for_the_platform_is_a_413(world, personas, settings):
    _token, key = ApiToken.create_for(personas["focal_point"], "script")
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        f"/api/v1/reports/{world['draft'].pk}/submit", "x" * 100, content_type="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert response.status_code == 413 and response.json()["error"]


def test_a_nul_character_is_a_json_400(client, db):
    response = client.get("/api/v1/recommendations?kind=a%00b")
    assert response.status_code == 400 and response.json()["error"]


def test_requests_over_the_address_limit_get_a_429_with_retry_after(client, db, settings):
    settings.HRTRACK_API_RATE_ADDRESS = "3/minute"
    assert [client.get("/api/v1/themes").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/themes")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 and response.json()["retry_after"] == int(response["Retry-After"])
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/api/v1/themes").status_code == 200


def test_each_token_has_its_own_limit_apart_from_the_address(db, personas, settings):
    settings.HRTRACK_API_RATE_TOKEN = "2/minute"
    settings.HRTRACK_API_RATE_ADDRESS = "100/minute"
    first = Client(HTTP_AUTHORIZATION="Token " + ApiToken.create_for(personas["focal_point"], "a")[1])
    second = Client(HTTP_AUTHORIZATION="Token " + ApiToken.create_for(personas["focal_point"], "b")[1])
    assert [first.get("/api/v1/themes").status_code for _ in range(3)] == [200, 200, 429]
    assert first.get("/api/v1/themes")["Retry-After"]
    assert second.get("/api/v1/themes").status_code == 200
    assert Client().get("/api/v1/themes").status_code == 200  # the address's own count is apart


def test_an_unexpected_failure_is_a_json_500_not_a_page(client, db, monkeypatch):
    from hrtrack.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.Concept.objects, "filter", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/themes")
    assert response.status_code == 500 and response.json()["error"]


def test_a_post_to_an_address_that_names_nothing_is_a_json_404_not_a_csrf_page(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing", {"a": "b"})
    assert response.status_code == 404 and response.json()["error"]


def test_an_answer_is_json_whatever_the_accept_header_asks(client, db):
    response = client.get("/api/v1/themes", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert client.get("/api/v1/nothing", HTTP_ACCEPT="text/html").json()["error"]


def test_a_rate_set_to_off_limits_nothing(client, db, settings):
    settings.HRTRACK_API_RATE_ADDRESS = "off"
    assert {client.get("/api/v1/themes").status_code for _ in range(5)} == {200}
    settings.HRTRACK_API_RATE_ADDRESS = "1/minute"
    assert [client.get("/api/v1/themes").status_code for _ in range(2)] == [200, 429]


def test_a_body_too_large_for_a_middleware_to_read_is_a_json_413_too(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # (the NUL check reads a form body before any view)
    client.raise_request_exception = False
    response = client.post("/api/v1/suggestions/decide", "a=" + "x" * 5000,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and response.json()["error"]


def test_a_host_the_site_does_not_serve_is_a_json_400_under_the_api_and_a_page_elsewhere(client, db):
    client.raise_request_exception = False
    response = client.get("/api/v1/themes", HTTP_HOST="evil.example")
    assert response.status_code == 400 and response.json()["error"]
    page = client.get("/recommendations/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_pages_outside_the_api_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_djangos_own_500_is_json_under_the_api_and_a_page_elsewhere(rf):
    from hrtrack.api import errors

    response = errors.server_error(rf.get("/api/v1/themes"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert errors.server_error(rf.get("/recommendations/"))["Content-Type"].startswith("text/html")


def test_a_forged_forwarded_address_does_not_escape_the_address_limit(db, settings):
    settings.HRTRACK_API_RATE_ADDRESS = "2/minute"
    settings.HRTRACK_TRUSTED_PROXY = 0
    statuses = [Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").get("/api/v1/themes").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(db, settings):
    settings.HRTRACK_API_RATE_ADDRESS = "1/minute"
    settings.HRTRACK_TRUSTED_PROXY = 1
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert [first.get("/api/v1/themes").status_code for _ in range(2)] == [200, 429]
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2").get("/api/v1/themes").status_code == 200
