"""The log: a refused request (403) is one line; an error (500) keeps its traceback."""

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

from hrtrack.accounts.models import Role, User


def formatted(caplog) -> list[str]:
    """The records of django.request as the console handler writes them."""
    formatter = logging.Formatter()
    return [formatter.format(record) for record in caplog.records if record.name == "django.request"]


@pytest.mark.django_db
def test_a_contributor_opening_a_staff_page_writes_one_line_without_a_traceback(client, caplog):
    client.force_login(User.objects.create(username="cora", role=Role.CONTRIBUTOR))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/my-work/").status_code == 403
    (line,) = formatted(caplog)
    assert line == "Forbidden (Permission denied): /my-work/ (You do not have access to the staff site.)"
    assert "Traceback" not in line and "\n" not in line


def test_an_error_keeps_its_traceback(caplog):
    request = RequestFactory().get("/broken/")
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as error:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            log_response("Internal Server Error: %s", request.path, response=HttpResponse(status=500),
                         request=request, exception=error)
    (text,) = formatted(caplog)
    assert text.startswith("Internal Server Error: /broken/\nTraceback (most recent call last):")
    assert text.endswith("ZeroDivisionError: division by zero")
