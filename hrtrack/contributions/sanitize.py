"""The HTML a contribution may hold: a short allow-list, cleaned by nh3 (Rust's ammonia), the
same parser rules a browser follows, so no ``<script>``, no ``onerror=``, no ``javascript:``
address survives, however it is spelled. Links get ``rel="nofollow"``: a contribution is no
endorsement, and spam gains nothing from it.
"""

import html
import re

import nh3
from django.utils.html import linebreaks

TAGS = {"p", "br", "a", "em", "strong", "ul", "ol", "li"}
ATTRIBUTES = {"a": {"href"}}
SCHEMES = {"http", "https", "mailto"}
#: Something a browser reads as a tag, a comment or a declaration: the text is HTML.
TAG = re.compile(r"<([/?]?[a-zA-Z]|!)")
BLOCKS = re.compile(r"<(p|br|ul|ol|li)\b")


def clean_html(text: str) -> str:
    """``text`` as safe HTML: markup cut to the allow-list; text without paragraphs of its own is
    split into paragraphs at its blank lines (plain text, with no tag at all, is escaped first)."""
    text = (text or "").strip()
    if not TAG.search(text):
        return linebreaks(text, autoescape=True)
    cleaned = nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="nofollow",
                        strip_comments=True).strip()
    if not BLOCKS.search(cleaned):
        cleaned = linebreaks(cleaned, autoescape=False)  # adds only <p> and <br> to sanitised HTML
    return cleaned


def plain_text(text: str) -> str:
    """The words of sanitised HTML, without markup (for the admin's lists and plain JSON fields)."""
    spaced = re.sub(r"<(br|/p|/li)\b[^>]*>", " ", text or "")
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
