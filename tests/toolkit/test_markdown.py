"""Author Markdown is sanitised against an allow-list, as the last step."""

from html.parser import HTMLParser

import pytest

from tests.hostile import HOSTILE_MARKDOWN
from toolkit.markdown import ALLOWED_ATTRIBUTES, GOVUK_CLASSES, render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("Hello <script>alert('x')</script>", "<script"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<img src="x" onerror="steal()">', "onerror"),
        ("[Click](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert(1)"),
        ("<style>body { display: none }</style>", "<style"),
        ('<p style="color:red">x</p>', "style="),
        ('<iframe src="https://example.com"></iframe>', "<iframe"),
        ('<object data="x"></object><embed src="y">', "<object"),
        ('<form action="/x"><input name="a"></form>', "<form"),
    ],
)
def test_dangerous_markup_is_removed(source, forbidden):
    html = render_markdown(source)
    assert forbidden.lower() not in html.lower()


def test_allowed_markup_is_kept_with_govuk_classes():
    html = render_markdown(
        "# Title\n\n## Heading\n\nSome **bold** and *em* text with a [link](/toolkit/).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    assert '<h2 class="govuk-heading-l">Title</h2>' in html  # no second h1
    assert '<h2 class="govuk-heading-l">Heading</h2>' in html
    assert '<p class="govuk-body">' in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert '<a href="/toolkit/" class="govuk-link" rel="noopener noreferrer">link</a>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert '<table class="govuk-table">' in html
    assert '<th class="govuk-table__header">A</th>' in html
    assert '<td class="govuk-table__cell">1</td>' in html


def test_author_classes_cannot_be_injected():
    html = render_markdown('<p class="govuk-visually-hidden x">Hi</p>')
    assert "govuk-visually-hidden" not in html
    assert '<p class="govuk-body">Hi</p>' in html


def test_empty_body():
    assert render_markdown("") == ""


class Elements(HTMLParser):
    """Every element and attribute as a browser would read them."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN)
def test_hostile_markdown_gives_only_allowed_elements_and_attributes(source):
    """Attribute values holding tags, quotes and event handlers stay inert
    text inside the attribute: no element or attribute is added."""
    html = str(render_markdown(source))
    for tag, attrs in Elements(html).elements:
        allowed = {*ALLOWED_ATTRIBUTES.get(tag, ()), "rel" if tag == "a" else "href"}
        allowed |= {"class"} if tag in GOVUK_CLASSES else set()
        assert set(attrs) <= allowed, f"<{tag}> has {sorted(set(attrs) - allowed)} in {html!r}"
        if "class" in attrs:
            assert attrs["class"] == GOVUK_CLASSES[tag], f"<{tag} class={attrs['class']!r}> in {html!r}"
        assert not any(name.startswith("on") for name in attrs), html
    assert "<h1" not in html and "<script" not in html.lower(), html


def test_a_link_title_holding_a_tag_stays_a_title():
    """The bypass of the old class-adding regex, which ran after cleaning and
    matched the "<h2" inside the title."""
    html = str(render_markdown('[x](https://example.org "<h2 id=x onfocus=alert(1) autofocus ")'))
    assert [tag for tag, _ in Elements(html).elements] == ["p", "a"]
    attrs = Elements(html).elements[1][1]
    assert attrs["title"] == "<h2 id=x onfocus=alert(1) autofocus"
    assert set(attrs) == {"href", "title", "class", "rel"}


@pytest.mark.django_db
def test_the_admin_preview_is_cleaned_last():
    from tests.toolkit.factories import PageFactory
    from toolkit.admin import PageAdmin
    from toolkit.models import Page

    page = PageFactory(body='[x](/ "<p onclick=alert(1) ")\n\n<p class="x" onclick="y">z</p>')
    preview = str(PageAdmin(Page, None).preview(page))
    for tag, attrs in Elements(preview).elements:
        assert not any(name.startswith("on") for name in attrs), preview
        if tag == "p":
            assert attrs == {"class": "govuk-body"}, preview
