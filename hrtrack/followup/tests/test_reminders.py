"""The reminders: each focal point's and validator's daily digest, in their language, sent by the
daily job (Django's outbox stands in for the mail server), at most once a day."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from hrtrack.followup import tasks, workflow
from hrtrack.followup.models import Assignment
from hrtrack.recommendations.models import Recommendation

DAY = datetime.date(2025, 3, 4)
DAILY = "hrtrack.followup.tasks.daily_reminders_job"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def waiting_for(day, personas, agencies):
    """On ``day``: the Interior ministry has a report deadline overdue by ten days, one due in five,
    one far off, an item's own implementation date two days past, a report returned to it with a
    reason and one submitted to its validator; Foreign Affairs has a deadline overdue of its own."""
    interior, foreign = agencies
    interior.name_es, interior.acronym = "Secretaría de Gobernación", "SEGOB"
    interior.save()
    carla, felipe, valeria = personas["coordinator"], personas["focal_point"], personas["validator"]
    for key in ("focal_point", "validator", "other_focal_point", "other_validator"):
        person = personas[key]
        person.email = f"{person.username}@example.org"
        person.save()
    journalists = Recommendation.objects.create(text="Protect journalists and human rights defenders.")
    torture = Recommendation.objects.create(text="Adopt a general law against torture.")
    workflow.assign([journalists.pk, torture.pk], [interior], Assignment.Role.LEAD, carla)
    workflow.assign([journalists.pk], [foreign], Assignment.Role.SUPPORT, carla)
    on_journalists = Assignment.objects.get(recommendation=journalists, organization=interior)
    on_torture = Assignment.objects.get(recommendation=torture, organization=interior)
    abroad = Assignment.objects.get(recommendation=journalists, organization=foreign)
    workflow.set_deadline(carla, item=journalists, assignment=on_journalists,
                          title="Report on the protection mechanism", due_on=day - days(10))
    workflow.set_deadline(carla, item=torture, assignment=on_torture, title="Report on the torture law",
                          due_on=day + days(5))
    workflow.set_deadline(carla, item=torture, assignment=on_torture, title="Annual report", due_on=day + days(60))
    workflow.set_deadline(carla, item=torture, title="The law in force", kind="implementation", due_on=day - days(2))
    workflow.set_deadline(carla, item=journalists, assignment=abroad, title="Report on consular protection",
                          due_on=day - days(3))
    returned = workflow.start_report(on_journalists, felipe, status="in-progress", narrative="Mechanism staffed.")
    returned = workflow.submit(returned, felipe, returned.version)
    workflow.return_report(returned, valeria, returned.version, reason="Attach the staffing order itself.")
    submitted = workflow.start_report(on_torture, felipe, status="in-progress", narrative="Bill sent to Congress.")
    workflow.submit(submitted, felipe, submitted.version)


@pytest.fixture
def story(personas, agencies):
    waiting_for(DAY, personas, agencies)
    return personas


def sent_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


def test_a_focal_point_is_sent_their_agencys_overdue_due_soon_and_returned_work_and_nothing_else(story, settings):
    settings.SITE_URL = "https://hrtrack.example.gob.mx"
    tasks.run_now(DAY)
    [digest] = sent_to("felipe")
    body = digest.body
    assert "Report on the protection mechanism: overdue by 10 days (Feb. 22, 2025)" in body
    assert "The law in force: overdue by 2 days" in body  # the item's own date: every agency on the item
    assert "Report on the torture law: due in 5 days (March 9, 2025)" in body
    assert "Attach the staffing order itself." in body
    assert "Ministry of the Interior (SEGOB)" in body
    assert "Annual report" not in body  # due in 60 days: not yet
    assert "consular protection" not in body  # another agency's
    assert "Bill sent to Congress" not in body and "waiting for your validation" not in body
    assert "https://hrtrack.example.gob.mx/reports/" in body and "https://hrtrack.example.gob.mx/my-work/" in body
    assert digest.subject == "hrtrack, March 4, 2025: 2 overdue, 1 due soon, 1 returned"
    html, content_type = digest.alternatives[0]
    assert content_type == "text/html" and "Attach the staffing order itself." in html


def test_a_validator_is_sent_the_reports_waiting_for_them(story):
    tasks.run_now(DAY)
    [digest] = sent_to("valeria")
    assert "Reports waiting for your validation (1)" in digest.body
    assert "Adopt a general law against torture." in digest.body
    assert "by felipe. Status reported: In progress." in digest.body
    assert "overdue" not in digest.body  # deadlines are the focal points' to meet
    assert digest.subject == "hrtrack, March 4, 2025: 1 to validate"


def test_nobody_with_nothing_waiting_gets_an_email(story):
    result = tasks.run_now(DAY)
    assert not sent_to("victor")  # nothing submitted by Foreign Affairs
    assert len(sent_to("gabriela")) == 1  # Foreign Affairs' overdue deadline
    assert {line["username"] for line in result["sent"]} == {"felipe", "valeria", "gabriela"}
    assert result["nothing_to_say"] == 1


def test_the_digest_is_written_in_the_persons_language(story):
    felipe = story["focal_point"]
    felipe.language = "es"
    felipe.save()
    tasks.run_now(DAY)
    [spanish] = sent_to("felipe")
    [english] = sent_to("valeria")
    # Dates are written by Django's own Spanish locale (the project's catalogue is filled later):
    # the month's name and the order of the parts show the language was switched for this e-mail only.
    assert "4 de marzo de 2025" in spanish.subject
    assert "(22 de febrero de 2025)" in spanish.body
    assert "Secretaría de Gobernación (SEGOB)" in spanish.body  # the agency's Spanish name
    assert spanish.extra_headers["Content-Language"] == "es"
    assert "March 4, 2025" in english.subject
    assert english.extra_headers["Content-Language"] == "en"


def test_a_digest_takes_the_same_few_queries_however_much_is_waiting(story, django_assert_max_num_queries):
    from hrtrack.followup import reminders

    felipe = story["focal_point"]

    def queries_for_felipe():
        with django_assert_max_num_queries(8) as context:
            reminders.render(reminders.digest_for(felipe, DAY))
        return len(context.captured_queries)

    before = queries_for_felipe()
    for assignment in Assignment.objects.filter(organization__in=felipe.agency_ids()):
        for n in range(5):
            workflow.set_deadline(story["coordinator"], item=assignment.recommendation, assignment=assignment,
                                  title=f"Monthly figures {n}", due_on=DAY - days(40 + n))
    assert queries_for_felipe() == before


def test_a_person_gets_one_digest_a_day_however_often_it_runs(story):
    first = tasks.run_now(DAY)
    again = tasks.run_now(DAY)
    assert len(first["sent"]) == 3 and again["sent"] == [] and again["already_sent"] == 3
    assert len(mail.outbox) == 3
    assert tasks.sent_on(DAY) == {story[k].pk for k in ("focal_point", "validator", "other_focal_point")}
    next_day = tasks.run_now(DAY + days(1))
    assert len(next_day["sent"]) == 3 and len(mail.outbox) == 6


def test_someone_without_an_address_is_named_and_not_counted_as_sent(story):
    felipe = story["focal_point"]
    felipe.email = ""
    felipe.save()
    result = tasks.run_now(DAY)
    assert result["no_address"] == ["felipe"]
    assert felipe.pk not in tasks.sent_on(DAY)


class RefusesFelipe(EmailBackend):
    def send_messages(self, messages):
        if any("felipe@example.org" in m.to for m in messages):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_mail_the_server_refuses_does_not_stop_the_others_and_goes_next_time(story, settings):
    settings.EMAIL_BACKEND = "hrtrack.followup.tests.test_reminders.RefusesFelipe"
    out = io.StringIO()
    with pytest.raises(CommandError, match="felipe .550 mailbox unavailable"):
        call_command("reminders", "send", "--date", DAY.isoformat(), stdout=out)
    assert "2 digests sent for 2025-03-04." in out.getvalue()
    assert {m.to[0] for m in mail.outbox} == {"valeria@example.org", "gabriela@example.org"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = tasks.run_now(DAY)
    assert [line["username"] for line in again["sent"]] == ["felipe"]


def test_reminders_send_says_how_many_went_to_whom(story):
    out = io.StringIO()
    call_command("reminders", "send", "--date", "2025-03-04", stdout=out)
    printed = out.getvalue()
    assert "3 digests sent for 2025-03-04." in printed
    assert "felipe <felipe@example.org> (en): 2 overdue, 1 due soon, 1 returned, 0 to validate" in printed
    assert "1 person had nothing waiting." in printed
    row = DBTaskResult.objects.get(task_path="hrtrack.followup.tasks.send_reminders_job")
    assert row.status == "SUCCESSFUL" and row.worker_ids == ["hrtrack reminders send"]


def test_reminders_send_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reminders", "send", "--date", "4/3/2025")
    assert not DBTaskResult.objects.exists()


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_daily_job_is_queued_once_for_the_next_morning(db):
    assert tasks.ensure_scheduled(now=at(DAY, 5)) is True
    assert tasks.ensure_scheduled(now=at(DAY, 5)) is False
    [row] = DBTaskResult.objects.filter(task_path=DAILY)
    assert row.status == "READY" and row.queue_name == "background"
    assert row.run_after == at(DAY, 7)


def test_the_next_run_is_this_morning_or_at_once_until_today_was_sent_then_tomorrow_morning():
    assert tasks.next_run(at(DAY, 6, 59), ran_today=False) == at(DAY, 7)
    assert tasks.next_run(at(DAY, 9), ran_today=False) == at(DAY, 9)
    assert tasks.next_run(at(DAY, 6, 59), ran_today=True) == at(DAY + days(1), 7)
    assert tasks.next_run(at(DAY, 9), ran_today=True) == at(DAY + days(1), 7)


def test_a_daily_job_left_running_by_a_killed_worker_does_not_stop_the_reminders(db):
    tasks.ensure_scheduled(now=at(DAY, 5))
    DBTaskResult.objects.filter(task_path=DAILY).update(status="RUNNING",
                                                        started_at=timezone.now() - datetime.timedelta(days=2))
    assert tasks.ensure_scheduled() is True
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


def test_the_worker_that_stays_up_queues_the_daily_job_and_a_batch_run_does_not(db, monkeypatch):
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: None)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    call_command("worker", "--batch", "--no-reload", verbosity=0)
    assert not DBTaskResult.objects.filter(task_path=DAILY).exists()
    call_command("worker", "--no-reload", verbosity=0)
    call_command("worker", "--no-reload", verbosity=0)  # a second worker, or a restart
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


# The worker closes connections that are left inside a transaction, as a test's would be:
# these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_daily_job_sends_todays_digests_and_queues_itself_for_tomorrow(personas, agencies):
    today = timezone.localdate()
    waiting_for(today, personas, agencies)
    job = tasks.daily_reminders_job.enqueue()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    row = DBTaskResult.objects.get(id=job.id)
    assert row.status == "SUCCESSFUL", row.traceback
    assert row.return_value["day"] == today.isoformat() and len(row.return_value["sent"]) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "felipe@example.org", "gabriela@example.org", "valeria@example.org"]
    [following] = DBTaskResult.objects.filter(task_path=DAILY, status="READY")
    assert following.run_after == at(today + days(1), 7)
    # Run again the same day (a second job queued by hand): nobody gets a second digest.
    tasks.daily_reminders_job.enqueue()
    DBTaskResult.objects.filter(id=following.id).delete()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 3
    assert DBTaskResult.objects.filter(task_path=DAILY, status="READY").count() == 1


def test_reminders_send_has_help(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit):
        ManagementUtility(["hrtrack", "reminders", "send", "--help"]).execute()
    printed = capsys.readouterr().out
    assert printed.startswith("usage: hrtrack reminders send") and "--date YYYY-MM-DD" in printed
