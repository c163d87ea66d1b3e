"""Background job: rebuild similar and repeated links, queued after each finished import.

The import's job lives in hrtrack.ingest; this module listens for it to finish rather than
being called from it. The receiver is connected when this module is imported (the nlp app's
``ready()`` imports it).
"""

from django.dispatch import receiver
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from .similar import DEFAULT_K, rebuild_links

IMPORT_JOB = "hrtrack.ingest.tasks.run_import_job"


@task(queue_name="background")
def rebuild_similar_job(k: int = DEFAULT_K) -> dict:
    """Embed new or changed items and recompute the model's similar and repeated links."""
    return rebuild_links(k=k).as_dict()


@receiver(task_finished, dispatch_uid="hrtrack.nlp.rebuild_similar_after_import")
def rebuild_after_import(sender, task_result, **kwargs) -> None:
    """After an import job has imported its file: suggest themes for the new items and
    rebuild the similar and repeated links."""
    if task_result.task.module_path != IMPORT_JOB or task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    if (task_result.return_value or {}).get("status") == "done":
        from .tasks import suggest_themes_job

        suggest_themes_job.enqueue()
        rebuild_similar_job.enqueue()
