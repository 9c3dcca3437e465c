"""The toolkit's part in site-wide search (see linkup/search.py)."""

import re

from linkup.search import Provider, Result, highlight, snippet
from toolkit.models import Page, Section

# Markdown punctuation that would look odd in a snippet.
MARKDOWN_NOISE = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)\s|\*\*|__|\||-{3,}|\[|\]\([^)]*\)")


def page_result(page):
    headline = MARKDOWN_NOISE.sub(" ", page.headline or "")
    return Result(
        title=page.title,
        url=page.get_absolute_url(),
        snippet=highlight(snippet(headline, whole=MARKDOWN_NOISE.sub(" ", page.body))),
        meta=f"Toolkit, {page.section.title}",
        rank=page.rank,
    )


PROVIDER = Provider(
    key="toolkit",
    label="toolkit pages",
    label_one="toolkit page",
    search=lambda q: Page.objects.published().search(q).select_related("section"),
    result=page_result,
    public=lambda: Page.objects.published(),
    fields=("title", "summary", "body"),
    position=1,
    models=(Page, Section),
)
