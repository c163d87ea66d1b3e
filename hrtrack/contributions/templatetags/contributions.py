"""``{% contributions_for target as thread %}``: what ``contributions/_thread.html`` shows under
an item or a progress report (its approved contributions, and the form or a sign-in link)."""

from dataclasses import dataclass, field

from django import template
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.http import urlencode

from hrtrack.followup.models import ProgressReport

from ..forms import ContributionForm
from ..models import Contribution
from ..workflow import can_contribute, target_is_public

register = template.Library()


@dataclass
class Thread:
    target: object
    kind: str
    key: str = ""
    contributions: list = field(default_factory=list)
    open: bool = False
    form: ContributionForm | None = None
    action: str = ""
    login_url: str = ""
    sign_up_url: str = ""


@register.simple_tag(takes_context=True)
def contributions_for(context, target) -> Thread:
    kind = "report" if isinstance(target, ProgressReport) else "item"
    thread = Thread(target=target, kind=kind)
    if target is None or not getattr(target, "pk", None):
        return thread
    thread.key = str(target.pk)
    thread.contributions = list(Contribution.objects.on(target).approved().order_by("created_at", "pk"))
    thread.open = target_is_public(target)
    thread.action = reverse("contributions:contribute", args=[kind, target.pk])
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if thread.open and can_contribute(user):
        thread.form = ContributionForm(evidence=kind == "item", auto_id=f"id_contribution_{kind}_{target.pk}_%s")
    elif thread.open:
        next_path = request.get_full_path() if request is not None else target.get_absolute_url()
        thread.login_url = redirect_to_login(next_path)["Location"]
        thread.sign_up_url = f"{reverse('contributions:sign_up')}?{urlencode({'next': next_path})}"
    return thread
