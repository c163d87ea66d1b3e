"""What the search says while it has no semantic index: whether the job that builds one is
running or queued, and how far it is (hrtrack.lib.progress), never a command to type."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from hrtrack.lib.progress import pending_job

#: The jobs whose work gives the search its semantic index: the one that follows every change
#: (it embeds the new items and builds the index) and the rebuild of similar items asked for by
#: hand (the item embeddings the index reads).
INDEX_JOBS = ("hrtrack.search.tasks.sync_derived_job", "hrtrack.nlp.similar_tasks.rebuild_similar_job")


def missing_index_warning() -> str:
    """The notice for a search made while the semantic index does not exist yet."""
    job = pending_job(*INDEX_JOBS)
    if job is None:
        return _("Search by meaning is not available yet: the results match your words only.")
    if job.status == TaskResultStatus.READY:
        return _("Search by meaning is being prepared: the job is queued and starts when a worker is free. "
                 "Until it is ready, the results match your words only.")
    progress = job.progress
    if progress and progress["total"]:
        return _("Search by meaning is being prepared: the job is running, %(done)s of %(total)s items embedded "
                 "(%(percent)s%%). Until it is ready, the results match your words only.") % {
            "done": number_format(progress["done"], force_grouping=True),
            "total": number_format(progress["total"], force_grouping=True), "percent": progress["percent"]}
    return _("Search by meaning is being prepared: the job is running. Until it is ready, the results match "
             "your words only.")
