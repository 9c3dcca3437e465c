"""Author Markdown is sanitised against an allow-list."""

import pytest

from toolkit.markdown import render_markdown


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
    assert '<a class="govuk-link" href="/toolkit/"' in html
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
