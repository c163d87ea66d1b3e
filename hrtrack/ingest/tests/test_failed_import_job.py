"""An import the worker cannot complete keeps its report but not its file."""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.tasks import run_import_job
from hrtrack.recommendations.models import Recommendation


def test_a_file_whose_import_fails_in_the_worker_is_not_kept(db, personas):
    run = ImportRun(source="upr-info", file_name="broken.csv", started_by=personas["coordinator"])
    run.file.save("broken.csv", ContentFile(b"this,is,not\nan,upr,info export\n"), save=False)
    run.save()
    stored = Path(settings.MEDIA_ROOT) / run.file.name
    assert stored.is_file()

    run_import_job.call(run.pk)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.report
    assert not stored.exists() and not run.file
    assert not Recommendation.objects.exists()


def test_a_file_that_breaks_a_reader_in_the_worker_fails_with_a_message_and_saves_nothing(db, personas,
                                                                                        monkeypatch):
    from hrtrack.ingest import tasks

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(tasks, "import_files", broken)
    monkeypatch.setattr(tasks, "read_source", broken)
    for status, job in ((ImportRun.Status.CHECKING, tasks.check_import_job),
                        (ImportRun.Status.QUEUED, tasks.run_import_job)):
        run = ImportRun(source="upr-info", file_name="deep.json", started_by=personas["coordinator"], status=status)
        run.file.save("deep.json", ContentFile(b"[" * 5000), save=False)
        run.save()
        stored = Path(settings.MEDIA_ROOT) / run.file.name

        assert job.call(run.pk) == {"status": "failed"}

        run.refresh_from_db()
        assert run.status == ImportRun.Status.FAILED and "RecursionError" in run.report["error"][0]
        assert "nothing was imported" in run.report["error"][0]
        assert not stored.exists() and not Recommendation.objects.exists()
