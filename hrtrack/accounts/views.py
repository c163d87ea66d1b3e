"""Sign-in with its second step (the code from an authenticator app), the authenticator's setup with
its backup codes, and the password change."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token

from . import two_factor
from .forms import CodeForm
from .middleware import second_step_url


def _next_url(request) -> str:
    """The page asked for before the second step, if it is one of ours; else where a sign-in goes."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """Django's sign-in page; a staff member then goes on to the code (or to set up an authenticator)."""

    def get_success_url(self):
        url = super().get_success_url()
        if two_factor.needs_second_factor(self.request.user):
            return second_step_url(self.request.user, url)
        return url


@never_cache
@sensitive_post_parameters("code")
@login_required
def verify(request):
    """The second step: a code from the authenticator app, or one backup code."""
    user = request.user
    if not two_factor.has_authenticator(user):
        return redirect(second_step_url(user, request.GET.get("next", "")))
    if two_factor.is_verified(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            if device.name == two_factor.BACKUP_NAME:
                # A backup code stands in for a lost phone: say how many are left, where new ones are made.
                left = two_factor.backup_codes_left(user)
                messages.warning(request, _("You signed in with a backup code: %(left)d left.") % {"left": left})
                return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or has expired. Wait for the next one and try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")},
                   status=400 if form.errors else 200)


@never_cache
@sensitive_post_parameters("code")
@login_required
def setup(request):
    """Set up an authenticator: its key as a QR code and in text, confirmed with a code it shows;
    then the backup codes, shown once. Once one is set up, a verified person sees its state here and
    may make new backup codes; nobody replaces an authenticator without first giving a code from it
    (an administrator resets a lost one)."""
    user = request.user
    if not user.is_staff_member:
        raise PermissionDenied(_("Two-factor sign-in is for the staff site."))
    if two_factor.has_authenticator(user):
        if not two_factor.is_verified(user):
            return redirect(second_step_url(user, request.GET.get("next", "")))
        if request.method == "POST" and request.POST.get("action") == "backup-codes":
            codes = two_factor.new_backup_codes(user)
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": ""})
        return render(request, "accounts/two_factor_status.html",
                      {"backup_codes_left": two_factor.backup_codes_left(user), "next": _next_url(request)})
    with transaction.atomic():
        device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return render(request, "accounts/two_factor_backup_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _("That code is not right. Check the app shows the key above, wait for the next "
                                 "code and try again."))
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_svg(device), "key": two_factor.key_text(device),
        "next": request.GET.get("next", ""),
    }, status=400 if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change: this session stays signed in, every other session of the person ends."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password-change")
    title = gettext_lazy("Change your password")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed. Your other sessions are signed out."))
        return response
