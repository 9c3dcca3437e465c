"""The toolkit's part in site-wide search (see linkup/search.py)."""

import re

from linkup.search import Provider, Result, highlight, snippet
from toolkit.models import Page, Section

# A line that starts a block of its own: a heading, a list item, a table
# row or a quotation; its marker is dropped.
BLOCK_START = re.compile(r"^\s*(#{1,6}|[-*+]|\d+\.|>|\|)\s")
# A table's ruled line and a horizontal rule carry no words.
RULE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$")
# Markdown punctuation within a line that would look odd in a snippet.
MARKDOWN_NOISE = re.compile(r"\*\*|__|\||\[|\]\([^)]*\)")


def markdown_text(markdown: str) -> str:
    """A page's Markdown (or a headline of it) as plain words, with a blank
    line between its blocks, so ``snippet()`` keeps headings, paragraphs
    and list items apart. Both the headline and the whole body go through
    it, so the two still compare."""
    lines = []
    for line in markdown.splitlines():
        if RULE.match(line):
            line = ""
        elif BLOCK_START.match(line):
            heading = line.lstrip().startswith("#")
            lines += ["", MARKDOWN_NOISE.sub(" ", BLOCK_START.sub("", line)), *([""] if heading else [])]
            continue
        lines.append(MARKDOWN_NOISE.sub(" ", line))
    return "\n".join(lines)


def page_result(page):
    headline = markdown_text(page.headline or "")
    return Result(
        title=page.title,
        url=page.get_absolute_url(),
        snippet=highlight(snippet(headline, whole=markdown_text(page.body))),
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
