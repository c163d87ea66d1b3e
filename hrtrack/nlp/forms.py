from django import forms
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.web import IdListField
from hrtrack.taxonomy.models import Concept

from .review import Order
from .themes import THEME_SCHEME


class ReviewFilterForm(forms.Form):
    """Which suggestions the review queue shows."""

    scheme = forms.ChoiceField(label=_("Scheme"), required=False, choices=[
        ("", _("Any scheme")), (THEME_SCHEME, _("Themes")), ("affected-groups", _("Affected groups")),
        ("sdg-goals", _("SDG goals")),
    ])
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    min_confidence = forms.FloatField(label=_("Minimum confidence"), required=False, min_value=0, max_value=1)
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=Order.choices,
        help_text=_("Least sure first: the suggestions whose confidence is nearest the level from which the "
                    "model suggests their concept come first, so that your decisions go where the model "
                    "most needs them; the clear-cut ones come last. Most confident first: the surest first."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The concepts of the chosen scheme (themes when none is chosen).
        scheme = self.data.get("scheme") or THEME_SCHEME
        if scheme not in dict(self.fields["scheme"].choices):
            scheme = THEME_SCHEME
        self.fields["theme"].label = dict(self.fields["scheme"].choices)[scheme] if scheme != THEME_SCHEME \
            else _("Theme")
        self.fields["theme"].choices = [("", _("Any"))] + [
            (c.code, c.label) for c in Concept.objects.in_scheme(scheme).order_by("label_en")
        ]

    def chosen_order(self) -> str:
        """The order asked for (:class:`~hrtrack.nlp.review.Order`): least sure first unless said."""
        if self.is_valid() and self.cleaned_data.get("order"):
            return self.cleaned_data["order"]
        return Order.UNCERTAIN

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        found = {}
        if self.cleaned_data.get("scheme"):
            found["concept__scheme__slug"] = self.cleaned_data["scheme"]
        if self.cleaned_data.get("theme"):
            found["concept__code"] = self.cleaned_data["theme"]
            found["concept__scheme__slug"] = self.cleaned_data.get("scheme") or THEME_SCHEME
        if self.cleaned_data.get("min_confidence") is not None:
            found["confidence__gte"] = self.cleaned_data["min_confidence"]
        return found


class DecisionForm(forms.Form):
    """Confirm or reject the chosen suggestions."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("confirm", _("Confirm")), ("reject", _("Reject"))])
    # Any id is allowed here; the view keeps only the unconfirmed model links among them.
    link = IdListField(label=_("Suggestions"))
