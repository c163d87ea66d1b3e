"""Anonymous exports and searches are limited per address and per minute: one more is a 429 with
Retry-After (JSON on a JSON door), and the signed-in are not counted."""

import pytest

from hrtrack.lib import web

pytestmark = pytest.mark.django_db


def fetch(client, path: str, **extra):
    """GET ``path`` and read the whole answer, as a browser does (an export's slot is freed then)."""
    response = client.get(path, **extra)
    if response.streaming:
        response.content_read = b"".join(response.streaming_content)
    return response


@pytest.fixture
def limits(settings):
    """The limits on (the other tests run with them off), each address counted afresh."""
    settings.HRTRACK_EXPORTS_PER_MINUTE = 2
    settings.HRTRACK_SEARCHES_PER_MINUTE = 3
    settings.HRTRACK_EXPORTS_AT_ONCE = 1
    return settings


def test_an_anonymous_visitor_gets_a_429_with_retry_after_past_the_exports_limit(client, limits):
    assert [fetch(client, "/search.csv?q=").status_code for _ in range(2)] == [200, 200]
    refused = fetch(client, "/recommendations.csv")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/plain")
    assert "Too many downloads" in refused.content.decode()
    assert f"{refused['Retry-After']} seconds" in refused.content.decode()


def test_a_json_door_answers_the_429_in_json(client, limits):
    for _ in range(3):
        assert client.get("/api/v1/search", {"q": "torture"}).status_code == 200
    refused = client.get("/api/v1/search", {"q": "torture"})
    assert refused.status_code == 429
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert "Too many searches" in refused.json()["error"]
    # The search page counts with the API: one budget of searches per address.
    assert client.get("/search/", {"q": "torture"}).status_code == 429


def test_searches_and_exports_have_their_own_budgets_and_other_pages_none(client, limits):
    for _ in range(3):
        client.get("/search/", {"q": "x"})
    assert client.get("/search/").status_code == 429
    assert fetch(client, "/search.csv?q=x").status_code == 200
    for _ in range(5):
        assert client.get("/recommendations/").status_code == 200


def test_the_signed_in_are_not_counted(coordinator_client, limits):
    assert {fetch(coordinator_client, "/search.csv?q=").status_code for _ in range(4)} == {200}


def test_each_address_has_its_own_budget_behind_a_trusted_proxy(client, limits):
    limits.HRTRACK_TRUSTED_PROXY = 1
    for _ in range(2):
        fetch(client, "/search.csv?q=", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert fetch(client, "/search.csv?q=", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A client's own entry on the left changes nothing: the proxy's, on the right, counts.
    assert fetch(client, "/search.csv?q=", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7").status_code == 429
    assert fetch(client, "/search.csv?q=", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_zero_turns_a_limit_off(client, limits):
    limits.HRTRACK_SEARCHES_PER_MINUTE = 0
    assert {client.get("/search/", {"q": "x"}).status_code for _ in range(6)} == {200}


def test_the_window_opens_again_the_next_minute(limits):
    start = 60 * 16_667 + 20.0  # 20 s into a minute
    assert [web.take_turn("search", "192.0.2.1", 3, now=start + n) for n in range(3)] == [0, 0, 0]
    assert web.take_turn("search", "192.0.2.1", 3, now=start + 3) == 37
    assert web.take_turn("search", "192.0.2.1", 3, now=start + 40) == 0


def test_one_anonymous_export_at_a_time_the_next_is_a_503_until_the_first_is_sent(client, limits):
    limits.HRTRACK_EXPORTS_PER_MINUTE = 0
    first = client.get("/search.csv?q=")
    assert first.status_code == 200 and first.streaming
    busy = client.get("/recommendations.csv", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert busy.status_code == 503
    assert busy["Retry-After"] == "10"
    assert "Other downloads are being prepared" in busy.content.decode()
    b"".join(first.streaming_content)  # sent to the end: the server closes it, and the slot is free
    assert fetch(client, "/recommendations.csv").status_code == 200


def test_a_visitor_asked_to_wait_for_the_slot_keeps_their_minutes_budget(client, limits):
    limits.HRTRACK_TRUSTED_PROXY = 1
    first = client.get("/search.csv?q=", HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(5):
        assert client.get("/search.csv?q=", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 503
    b"".join(first.streaming_content)
    assert [fetch(client, "/search.csv?q=", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
            for _ in range(3)] == [200, 200, 429]


def test_the_signed_in_do_not_wait_for_the_export_slot(client, coordinator_client, limits):
    first = client.get("/search.csv?q=")
    assert fetch(coordinator_client, "/search.csv?q=").status_code == 200
    b"".join(first.streaming_content)


def test_an_export_that_is_not_streamed_frees_its_slot_at_once(client, limits):
    limits.HRTRACK_EXPORTS_PER_MINUTE = 0
    assert [client.get("/charts/status.csv").status_code for _ in range(3)] == [200, 200, 200]
