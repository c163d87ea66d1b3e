"""The parameters of the progress report, checked: an agency, a theme, or both, and a period."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.directory.models import Organization
from hrtrack.followup.models import Assignment
from hrtrack.lib.web import BoundedIntegerField
from hrtrack.recommendations.models import GROUP_SCHEMES, SDG_SCHEMES, THEME_SCHEMES
from hrtrack.taxonomy.models import Concept

from .progress import Period

#: The concept schemes a progress report's ``theme`` may come from.
REPORT_THEME_SCHEMES = (*THEME_SCHEMES, *GROUP_SCHEMES, *SDG_SCHEMES)


def theme_choices() -> list[tuple[str, str]]:
    """("scheme:code", label) of every theme a progress report may be about, by label."""
    concepts = Concept.objects.filter(scheme__slug__in=THEME_SCHEMES).select_related("scheme")
    return sorted(((f"{c.scheme.slug}:{c.code}", c.label) for c in concepts), key=lambda pair: pair[1].lower())


def agency_choices() -> list[tuple[str, str]]:
    """(id, name) of the agencies with items to follow up: those a progress report is about."""
    followed = Assignment.objects.values("organization_id")
    return sorted(((str(o.pk), o.label) for o in Organization.objects.filter(pk__in=followed)),
                  key=lambda pair: pair[1].lower())


class ProgressForm(forms.Form):
    """``agency`` (an id), ``theme`` (``scheme:code``, or a code one theme scheme alone has),
    ``from`` and ``to`` (dates, YYYY-MM-DD). At least an agency or a theme."""

    agency = BoundedIntegerField(label=gettext_lazy("Agency"), required=False, min_value=1)
    theme = forms.CharField(label=gettext_lazy("Theme"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name.
        for name, label in (("from", gettext_lazy("Period from")), ("to", gettext_lazy("Period to"))):
            self.fields[name] = forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"])

    def clean_agency(self):
        pk = self.cleaned_data.get("agency")
        if pk is None:
            return None
        agency = Organization.objects.filter(pk=pk).first()
        if agency is None:
            raise forms.ValidationError(_("There is no agency with the id %(id)s.") % {"id": pk})
        return agency

    def clean_theme(self):
        value = (self.cleaned_data.get("theme") or "").strip()
        if not value:
            return None
        scheme, _colon, code = value.rpartition(":")
        concepts = Concept.objects.filter(code=code).select_related("scheme")
        concepts = concepts.filter(scheme__slug=scheme) if scheme else concepts.filter(
            scheme__slug__in=REPORT_THEME_SCHEMES)
        found = list(concepts[:2])
        if not found:
            raise forms.ValidationError(_("There is no theme %(theme)s: give it as scheme:code "
                                          "(upr-issues:torture-and-other-cid-treatment).") % {"theme": value})
        if len(found) > 1:
            raise forms.ValidationError(_("Several schemes have the theme %(code)s: give it as scheme:code.")
                                        % {"code": code})
        return found[0]

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("agency") is None and data.get("theme") is None:
            raise forms.ValidationError(_("Choose an agency (agency=<id>) or a theme (theme=<scheme:code>)."))
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period starts after it ends (from %(start)s, to %(end)s).")
                                        % {"start": start.isoformat(), "end": end.isoformat()})
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data.get("from"), self.cleaned_data.get("to"))


def problems(form: forms.Form) -> list[str]:
    """Each error of a bound form as one line ("from: Enter a valid date.")."""
    lines = []
    for name, errors in form.errors.items():
        for message in errors:
            lines.append(message if name == forms.forms.NON_FIELD_ERRORS else f"{name}: {message}")
    return lines
