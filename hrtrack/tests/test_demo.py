"""`hrtrack demo`: the demo data and an administrator who can sign in."""

import re

from django.contrib.auth import authenticate
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hrtrack.dialogues.models import Dialogue
from hrtrack.recommendations.models import Recommendation


def test_without_the_shared_folder_it_loads_the_sample_and_prints_a_working_sign_in(db, settings, tmp_path, capsys):
    settings.SHARED_DIR = tmp_path / "no-shared-here"
    call_command("demo", "--no-semantic", "--no-story")  # the story: portal/tests/test_demo_story.py
    out = capsys.readouterr().out
    assert "loading the project's sample data" in out
    dialogue = Dialogue.objects.get()
    assert dialogue.edition == 3 and dialogue.delegations.count() == 2
    assert Recommendation.objects.filter(kind="recommendation").count() == 3
    assert Recommendation.objects.filter(kind="commitment").count() == 2
    username, password = re.search(r"Sign in as (\S+) with password (\S+)", out).groups()
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_superuser and user.role == "administrator"


def test_running_it_again_changes_no_data_and_gives_a_new_password(db, settings, tmp_path, capsys):
    settings.SHARED_DIR = tmp_path / "no-shared-here"
    call_command("demo", "--no-semantic", "--no-story")
    first = re.search(r"password (\S+)", capsys.readouterr().out).group(1)
    call_command("demo", "--no-semantic", "--no-story")
    second = re.search(r"password (\S+)", capsys.readouterr().out).group(1)
    assert first != second
    assert Dialogue.objects.count() == 1 and Recommendation.objects.count() == 5


def test_it_queues_training_and_suggestions_for_the_worker_unless_told_not_to(db, settings, tmp_path, capsys):
    settings.SHARED_DIR = tmp_path / "no-shared-here"
    job = "hrtrack.nlp.tasks.train_and_suggest_job"
    call_command("demo", "--no-semantic", "--no-suggestions")
    assert not DBTaskResult.objects.filter(task_path=job).exists()
    call_command("demo", "--no-semantic")  # queued, not run: the worker trains (hrtrack/nlp/tests)
    assert DBTaskResult.objects.get(task_path=job).status == "READY"
    assert "Queued: training the theme, affected-group and SDG goal models" in capsys.readouterr().out
