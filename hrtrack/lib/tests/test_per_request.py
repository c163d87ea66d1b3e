"""Values read once a request (hrtrack.lib.per_request): kept while a request lasts, forgotten at
its end and after any save, never kept outside a request. The memo's own signal handlers stand for
a request's start and end (Django's request_finished also closes the database connection)."""

from hrtrack.lib import per_request
from hrtrack.lib.per_request import once


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_it_reads_a_value_once_during_a_request_and_afresh_in_the_next():
    read = Counter()
    per_request._request_started()
    try:
        assert [once("value", read), once("value", read)] == [1, 1]
    finally:
        per_request._request_finished()
    per_request._request_started()
    try:
        assert once("value", read) == 2
    finally:
        per_request._request_finished()


def test_it_keeps_nothing_outside_a_request():
    read = Counter()
    assert [once("value", read), once("value", read)] == [1, 2]


def test_a_save_during_the_request_forgets_what_was_read(db):
    from hrtrack.directory.models import Country, PlatformSettings
    from hrtrack.recommendations.filters import current_state

    mexico, spain = Country.objects.get(code="MX"), Country.objects.get(code="ES")
    PlatformSettings.objects.create(state=mexico)
    per_request._request_started()
    try:
        assert current_state() == mexico
        settings_row = PlatformSettings.objects.get()
        settings_row.state = spain
        settings_row.save()
        assert current_state() == spain
    finally:
        per_request._request_finished()
