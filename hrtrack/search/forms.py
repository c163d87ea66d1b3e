"""Forms of the search pages: the search box with its options, and naming a saved search.

The search form only draws the inputs: the engine's ``parse_request`` is the one place that
decides whether a parameter is valid, for the pages, the API and the command alike.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.errors import InvalidInput

from . import engine
from .models import SavedSearch

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("-date", _("Oldest first")),
]
MODE_CHOICES = [
    ("fused", _("Words and meaning (recommended)")),
    ("text", _("Exact words only")),
    ("semantic", _("Meaning only")),
]

#: Parameters a saved search does not keep: where the visitor was in the results.
NOT_SAVED = ("offset",)


class SearchForm(forms.Form):
    """The query box, the date range, the sort and, under "Advanced", the mode."""

    q = forms.CharField(
        label=_("Search for"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"type": "search", "size": 40}),
    )
    date_from = forms.CharField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.CharField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    mode = forms.ChoiceField(label=_("Match"), choices=MODE_CHOICES, required=False)


def saved_query_string(params: QueryDict) -> str:
    """The parameters of a search as a saved search keeps them: without the position in the results."""
    params = params.copy()
    for name in NOT_SAVED:
        params.pop(name, None)
    return params.urlencode()


class SavedSearchForm(forms.ModelForm):
    """A name for a search, unique among its owner's saved searches; the search must be valid."""

    class Meta:
        model = SavedSearch
        fields = ["name", "query_string"]
        labels = {"name": _("Name")}
        widgets = {"query_string": forms.HiddenInput}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["name"].error_messages["required"] = _("Give the search a name.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        taken = SavedSearch.objects.filter(owner=self.owner, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("You already have a saved search named “%(name)s”. Choose another name."), params={"name": name}
            )
        return name

    def clean_query_string(self) -> str:
        query_string = self.cleaned_data.get("query_string", "").lstrip("?")
        params = QueryDict(query_string)
        try:
            engine.parse_request(params)
        except InvalidInput as error:
            raise forms.ValidationError(
                _("This search cannot be saved: %(problem)s"), params={"problem": error}
            ) from error
        return saved_query_string(params)

    def save(self, commit: bool = True) -> SavedSearch:
        self.instance.owner = self.owner
        return super().save(commit)


class RenameSavedSearchForm(SavedSearchForm):
    """A new name for a saved search; its parameters stay as they are."""

    class Meta(SavedSearchForm.Meta):
        fields = ["name"]
