"""Markdown to safe HTML for toolkit pages.

Authors write Markdown in admin; it is rendered with python-markdown, then
cleaned by nh3 against an allow-list, so no script, style, event handler,
``javascript:`` URL or embedded frame survives whatever an author types.
GOV.UK typography classes are added after cleaning.
"""

import re

import markdown as md
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

GOVUK_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
_OPENING_TAG = re.compile(rf"<({'|'.join(GOVUK_CLASSES)})(?=[\s>/])")


def _add_class(match):
    tag = match.group(1)
    return f'<{tag} class="{GOVUK_CLASSES[tag]}"'


def clean_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Safe: nh3 has removed every attribute "class" could clash with.
    return _OPENING_TAG.sub(_add_class, cleaned)


def render_markdown(text: str):
    """Author Markdown → sanitised HTML with GOV.UK classes, marked safe."""
    # Headings start at h2: the page title is the only h1.
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return mark_safe(clean_html(html))  # noqa: S308  (cleaned by nh3 above)
