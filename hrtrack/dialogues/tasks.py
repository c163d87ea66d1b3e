"""Background jobs for dialogues, run by `hrtrack worker`."""

from django_tasks import task

from hrtrack.lib.errors import InvalidInput

from .records import save_record


@task()
def save_record_job(record: dict, source_title: str = "") -> dict:
    """Save a statement/1 record in the background; the result says what happened."""
    try:
        report = save_record(record, source_title=source_title)
    except InvalidInput as error:
        return {"ok": False, "problems": error.problems}
    return {"ok": True, "dialogue": report.dialogue.pk, "created": report.created, "changes": report.changes}
