"""A language's name in the reader's language, where a template would otherwise show its code
("Language: Spanish", "Idioma: inglés"; not "Idioma: en")."""

from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def language_name(code: str | None) -> str:
    """The name of the language ``code`` (``en``, ``pt-br``) in the active language; a code Django
    does not know stays as it is, and no code gives an empty string (for ``|default:"—"``)."""
    if not code:
        return ""
    try:
        return str(get_language_info(str(code).lower())["name_translated"])
    except KeyError:
        return str(code)
