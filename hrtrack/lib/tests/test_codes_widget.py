"""The filters' drop-down (hrtrack.lib.filters.CodesWidget) draws the same HTML as format_html would:
its escaping is written out for speed, and must not differ by a byte."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from hrtrack.lib.filters import CodesWidget

CHOICES = [("", "—"), ("MX", "Mexico"), ("CI", "Côte d'Ivoire"), ("X<&>", 'Tom & "Jerry" <b>'),
           ("safe", mark_safe("<em>kept</em>")), ("lazy", gettext_lazy("Search")), (7, 7), (None, "none"),
           ("Group & co", [("a'b", "A & B"), ("c", "C")])]


def reference(name, value, choices, attrs) -> str:
    """The drop-down as format_html draws it, option by option."""
    from django.forms.utils import flatatt

    selected = set(value)

    def options(items):
        out = []
        for option_value, label in items:
            if isinstance(label, list):
                out += [format_html('<optgroup label="{}">', option_value), *options(label), mark_safe("</optgroup>")]
                continue
            option_value = "" if option_value is None else str(option_value)
            out.append(format_html('<option value="{}"{}>{}</option>', option_value,
                                   mark_safe(" selected") if option_value in selected else "", label))
        return out

    return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs),
                       mark_safe("\n".join(options(choices))))


def test_it_draws_the_options_as_format_html_does():
    widget = CodesWidget(choices=CHOICES)
    for value in ([], ["MX"], ["X<&>", "a'b", "7"], ["lazy", ""]):
        drawn = widget.render("recipient", value, attrs={"id": "id_recipient"})
        assert drawn == reference("recipient", value, CHOICES, {"id": "id_recipient"})
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in drawn and "<em>kept</em>" in drawn
