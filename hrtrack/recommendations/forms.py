"""Forms of the item pages beside the filters: how the list shows what they select."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ListDisplayForm(forms.Form):
    """One row per item, or repeated items together (``?repeats=together``)."""

    repeats = forms.ChoiceField(
        label=_("Group"), required=False,
        choices=[("", _("One row per item")), ("together", _("Repeated items together"))],
    )
