"""The jobs page and its JSON twin: every recent background job, newest first."""

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from hrtrack.lib.web import page_json, paginate, staff_required

from .listing import describe


def jobs_page(request: HttpRequest) -> Page:
    """The page of jobs asked for, newest first, each described for this user."""
    page = paginate(request, DBTaskResult.objects.order_by("-enqueued_at", "-id"))
    page.object_list = describe(page.object_list, request.user)
    return page


@require_GET
@staff_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = jobs_page(request)
    return render(request, "jobs/job_list.html", {
        "page_obj": page, "jobs": page.object_list,
        # A page with a job still to finish reloads itself, as an import's page does.
        "refresh": any(job.is_active for job in page.object_list),
    })


@require_GET
@staff_required(json=True)
def job_list_json(request: HttpRequest) -> JsonResponse:
    page = jobs_page(request)
    return page_json(request, page, [job.as_json() for job in page.object_list])
