"""How pages say a model's suggestion: words and a percentage, never the model's internals.

    {% load suggestions %}
    {{ link|suggested }}            suggested (82%)
    {{ link.confidence|percent }}   82%
    {% if user|decides_suggestions %}...the confirm and reject buttons...{% endif %}
"""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hrtrack.nlp.review import may_decide

register = template.Library()


@register.filter
def percent(confidence) -> str:
    """A confidence between 0 and 1 as a whole percentage ("82%"); empty without one."""
    if confidence is None or confidence == "":
        return ""
    return _("%(percent)s%%") % {"percent": number_format(round(float(confidence) * 100))}


@register.filter
def suggested(link) -> str:
    """A model's link as people read it: "suggested (82%)", "suggested" without a confidence."""
    confidence = getattr(link, "confidence", None)
    if confidence is None:
        return _("suggested")
    return _("suggested (%(confidence)s)") % {"confidence": percent(confidence)}


@register.filter
def decides_suggestions(user, item=None) -> bool:
    """Whether ``user`` may confirm or reject suggestions (on ``item``, when given)."""
    return may_decide(user, item)
