"""Markdown to safe HTML for toolkit pages.

Authors write Markdown in admin; it is rendered with python-markdown, then
cleaned by nh3 against an allow-list, so no script, style, event handler,
``javascript:`` URL or embedded frame survives whatever an author types.
Cleaning is the last step, everywhere (the admin preview too): the GOV.UK
typography classes are set by nh3 itself on the elements it keeps, and
headings are moved down a level in Markdown's own tree, so nothing edits
the HTML as text, where a tag name inside an attribute value looks like a
tag.
"""

import markdown as md
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


class HeadingsFromH2(Treeprocessor):
    """Headings start at h2: the page title is the only h1."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class GovUKMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802  (python-markdown's name)
        md.treeprocessors.register(HeadingsFromH2(md), "headings_from_h2", 5)


def clean_html(html: str) -> str:
    """The allow-list, with each kept element given its GOV.UK class (an
    author's own classes never survive)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        set_tag_attribute_values={tag: {"class": css} for tag, css in GOVUK_CLASSES.items()},
    )


def render_markdown(text: str):
    """Author Markdown → sanitised HTML with GOV.UK classes, marked safe."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists", GovUKMarkdown()], output_format="html")
    return mark_safe(clean_html(html))  # noqa: S308  (cleaned by nh3, the last step)
