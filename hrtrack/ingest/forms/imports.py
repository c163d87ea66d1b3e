"""The import page's form: the file a coordinator uploads, its format, and its mapping."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..service import SOURCES


class ImportForm(forms.Form):
    """The file to import, its format, and for any table the mapping of its columns."""

    source = forms.ChoiceField(label=_("Format"), choices=list(SOURCES.items()))
    file = forms.FileField(label=_("File"), help_text=_("CSV, XLSX or JSON, up to 100 MB."))
    mapping = forms.CharField(
        label=_("Column mapping (TOML)"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only for “Any CSV or XLSX”: which column holds which field."),
    )
    encoding = forms.CharField(label=_("Text encoding"), required=False, max_length=30,
                               help_text=_("Leave empty for UTF-8; for example latin-1 or mac-roman."))
    skip_invalid = forms.BooleanField(label=_("Import the valid rows even if some are invalid"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("source") == "table" and not data.get("mapping", "").strip():
            self.add_error("mapping", _("A table import needs a mapping of its columns to fields."))
        return data
