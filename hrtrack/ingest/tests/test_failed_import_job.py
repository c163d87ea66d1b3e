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
