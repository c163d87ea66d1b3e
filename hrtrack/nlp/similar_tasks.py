"""Background job: rebuild every similar and repeated link on request.

What changes (an import, an edit) is followed by the one job that brings every derived structure
up to date, links included (``hrtrack.search.tasks.sync_derived_job``); this job is for a rebuild
asked for by hand.
"""

from django_tasks import task

from .similar import DEFAULT_K, rebuild_links


@task(queue_name="background")
def rebuild_similar_job(k: int = DEFAULT_K) -> dict:
    """Embed new or changed items and recompute the model's similar and repeated links."""
    return rebuild_links(k=k).as_dict()

