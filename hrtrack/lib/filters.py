"""Filter fields every filter set shares: repeatable codes and numbers, bounded and checked.

A filter parameter may be given several times or with commas (``?recipient=MX&recipient=us``,
``?recipient=MX,US``): its values are OR'ed. Each field cleans its values to strings as the
search's catalog holds them (country codes upper-case, numbers without leading zeros), and says
what is wrong with a value by an error code the doors read: ``unknown`` (a well-formed code that
nothing has: a list page ignores the filter, the search matches nothing), anything else (``invalid``,
``out_of_range``, ``min_value``...) a value that cannot mean anything (a list page ignores it, the
search and the API answer 400).
"""

import html
from collections.abc import Callable, Iterable

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .web import ensure_fits


class CodesWidget(forms.Select):
    """A drop-down for one value that reads every value given, repeated or comma-separated."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if raw is None:
            return []
        if not isinstance(raw, (list, tuple)):
            raw = [raw]
        return [part.strip() for value in raw if value is not None for part in str(value).split(",") if part.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if value is None:
            return []
        return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]

    def render(self, name, value, attrs=None, renderer=None):
        """The same HTML as Django's template for a select, built here: a drop-down of 250
        countries drawn through a template per option took most of a list page's time."""
        selected = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)

        def options(choices) -> list[str]:
            # format_html's escaping written out (conditional_escape: a safe string as it is, any
            # other value through html.escape), the same bytes for a fraction of its cost a value.
            out = []
            for option_value, label in choices:
                if isinstance(label, (list, tuple)):
                    out.append(f'<optgroup label="{_escape(option_value)}">')
                    out += options(label)
                    out.append("</optgroup>")
                    continue
                option_value = "" if option_value is None else str(option_value)
                chosen = " selected" if option_value in selected else ""
                out.append(f'<option value="{_escape(option_value)}"{chosen}>{_escape(label)}</option>')
            return out

        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(final),
                           mark_safe("\n".join(options(self.choices))))


def _escape(value) -> str:
    """What :func:`django.utils.html.conditional_escape` makes of ``value``, as a plain string."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class CodesInput(forms.TextInput):
    """A text box for values without a list to choose from (sessions, cycles): ``17, 18``."""

    value_from_datadict = CodesWidget.value_from_datadict
    value_omitted_from_data = CodesWidget.value_omitted_from_data

    def format_value(self, value):
        values = CodesWidget.format_value(self, value)
        return ", ".join(values) if values else None


class LazyOptions:
    """A drop-down's options, read when it is first drawn and kept for the form's life: the
    search and the API, which draw none, never query them, and a page reads them once."""

    def __init__(self, options, empty_label=None):
        self.options, self.empty_label, self._read = options, empty_label, None

    def __call__(self) -> list:
        # Django calls a callable choices anew each time it draws: read once, then keep.
        if self._read is None:
            options = self.options() if callable(self.options) else self.options
            self._read = [("", self.empty_label or "—"), *options]
        return self._read

    def __deepcopy__(self, memo):
        return LazyOptions(self.options, self.empty_label)


class CodesField(forms.Field):
    """Codes, each normalized (``normalize``), checked against ``known`` (a function of the values
    that returns those that exist, one query) when given, and against ``choices`` when given
    (``options`` only draws the drop-down: a list, or a function read when the form is made)."""

    widget = CodesWidget
    default_error_messages = {
        "unknown": _("Unknown value: %(values)s."),
        "invalid_choice": _("%(value)s is not one of the choices."),
    }

    def __init__(self, *, normalize: Callable[[str], str] = str, known: Callable[[list[str]], Iterable[str]] | None
                 = None, choices=(), options=None, empty_label=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.normalize, self.known = normalize, known
        self.choice_values = {str(value) for value, _label in choices} if choices else None
        if options is None and not choices:
            self.widget = CodesInput(attrs=self.widget.attrs)
        else:
            self.widget.choices = LazyOptions(options if options is not None else choices, empty_label)

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, (list, tuple)) else ([] if value in (None, "") else [value])
        values = [str(v).strip() for v in values]
        for v in values:
            ProhibitNullCharactersValidator()(v)  # no database column takes a NUL: an error, not a 500
        return list(dict.fromkeys(self.normalize(v) for v in values if v))

    def validate(self, values: list[str]) -> None:
        if self.choice_values is not None:
            for value in values:
                if value not in self.choice_values:
                    raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                                params={"value": value})
        if self.known is not None and values:
            known = {str(v) for v in self.known(values)}
            unknown = [v for v in values if v not in known]
            if unknown:
                raise forms.ValidationError(self.error_messages["unknown"], code="unknown",
                                            params={"values": ", ".join(unknown)})


class IntegersField(CodesField):
    """Whole numbers between ``min_value`` and ``max_value`` (at most what a 64-bit column holds)."""

    default_error_messages = {
        "invalid": _("%(value)s is not a whole number."),
        "min_value": _("%(value)s is below %(limit)s."),
        "max_value": _("%(value)s is above %(limit)s."),
    }

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value) -> list[str]:
        out = []
        for text in super().to_python(value):
            if not text.lstrip("-").isdigit():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text})
            number = ensure_fits(int(text), text)
            if self.min_value is not None and number < self.min_value:
                raise forms.ValidationError(self.error_messages["min_value"], code="min_value",
                                            params={"value": text, "limit": self.min_value})
            if self.max_value is not None and number > self.max_value:
                raise forms.ValidationError(self.error_messages["max_value"], code="max_value",
                                            params={"value": text, "limit": self.max_value})
            out.append(str(number))
        return list(dict.fromkeys(out))


class CodesFilter(django_filters.Filter):
    """A filter by codes (see :class:`CodesField`); with no value given it filters nothing, as
    every django-filter filter does, and ``method`` receives the cleaned list."""

    field_class = CodesField


class IntegersFilter(CodesFilter):
    field_class = IntegersField


def applied_filters(filters: django_filters.FilterSet, query) -> list[tuple[str, str]]:
    """The filters of a bound ``filters`` that ``query`` (request.GET) gave and the list applied,
    as (name, value) pairs for a bulk form's hidden fields: one it ignored is not carried."""
    filters.form.is_valid()
    return [(name, value) for name in filters.base_filters if name not in filters.form.errors
            for value in query.getlist(name) if value.strip()]
