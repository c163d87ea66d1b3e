"""The sign-up form, the contribution form and the moderator's reason."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from hrtrack.accounts.models import Role, User
from hrtrack.lib.files import check_upload
from hrtrack.lib.web import WEB_ADDRESS_ERROR, is_web_address

from .models import ContributorProfile
from .sanitize import clean_html, plain_text

MAX_TEXT = 5000


class SignUpForm(forms.Form):
    """A civil-society contributor's account: they sign in with their e-mail address."""

    name = forms.CharField(label=_("Your name"), max_length=150,
                           help_text=_("Shown with what you contribute."))
    email = forms.EmailField(label=_("E-mail address"), max_length=150,
                             help_text=_("You sign in with it. It is never shown to anyone."))
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False,
        help_text=_("Shown with what you contribute; leave it empty if you write for yourself."))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=password_validation.password_validators_help_text_html())

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
            raise ValidationError(gettext_now("An account with this e-mail address exists: sign in instead."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("email"):
            candidate = User(username=data["email"], email=data["email"], first_name=data.get("name", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self) -> User:
        data = self.cleaned_data
        user = User(username=data["email"], email=data["email"], first_name=data["name"].strip(),
                    role=Role.CONTRIBUTOR)
        user.set_password(data["password"])
        user.save()
        ContributorProfile.objects.create(user=user, organisation=data.get("organisation", "").strip())
        return user


class ContributionForm(forms.Form):
    """A comment, or evidence on an item: the same text with a link or a file."""

    text = forms.CharField(label=_("Your comment"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Paragraphs, links, emphasis and lists are kept; other markup is removed. "
                                       "A moderator reads it before it is shown."))
    url = forms.CharField(label=_("Link to evidence"), required=False, max_length=1000, widget=forms.URLInput,
                          help_text=_("An address that starts with http:// or https://."))
    file = forms.FileField(label=_("Evidence file"), required=False,
                           help_text=_("PDF, images, office documents or plain text."))

    def __init__(self, *args, evidence: bool = True, **kwargs):
        """``evidence=False`` for a progress report: comments only (evidence is sent on items)."""
        super().__init__(*args, **kwargs)
        if not evidence:
            del self.fields["url"], self.fields["file"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not plain_text(clean_html(text)):
            raise ValidationError(gettext_now("Write a few words: markup alone is removed."))
        return text

    def clean_url(self) -> str:
        address = (self.cleaned_data.get("url") or "").strip()
        if address:
            if not is_web_address(address):
                raise ValidationError(WEB_ADDRESS_ERROR)
            URLValidator(schemes=["http", "https"], message=WEB_ADDRESS_ERROR)(address)
        return address

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            upload.checked_content_type = check_upload(upload)
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept with the contribution; never shown publicly."))
