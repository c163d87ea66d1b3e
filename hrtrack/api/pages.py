"""/account/tokens/: a signed-in person's personal API tokens. They create one with a name (its
key is shown once, on the answer to that request, and never stored), see when each was last used,
and revoke one. Nobody sees or revokes another person's tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken

#: Active tokens one person may hold at once.
MAX_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, for example “monthly export script”."))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The person's tokens; POST creates one and shows its key this once."""
    tokens = ApiToken.objects.filter(user=request.user)
    form, key, status = TokenForm(), None, 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if tokens.filter(revoked_at__isnull=True).count() >= MAX_TOKENS:
            form.add_error(None, _("You have %(count)d active tokens: revoke one before creating another.")
                           % {"count": MAX_TOKENS})
        if form.is_valid():
            token, key = ApiToken.create_for(request.user, form.cleaned_data["name"])
            form = TokenForm()
        else:
            status = 400
    return render(request, "api/tokens.html", {"tokens": tokens, "form": form, "key": key}, status=status)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke(request.user)
    messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")


app_name = "tokens"
urlpatterns = [
    path("", token_list, name="list"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
