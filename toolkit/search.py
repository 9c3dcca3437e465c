"""The toolkit's part in site-wide search (see linkup/search.py)."""

import re

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from linkup.search import MARK_START, MARK_STOP, Provider, Result, highlight
from toolkit.models import Page, Section

# Markdown punctuation that would look odd in a snippet.
MARKDOWN_NOISE = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)\s|\*\*|__|\||-{3,}|\[|\]\([^)]*\)")


def page_result(page):
    snippet = MARKDOWN_NOISE.sub(" ", page.headline or "")
    return Result(
        title=page.title,
        url=page.get_absolute_url(),
        snippet=highlight(" ".join(snippet.split())),
        meta=f"Toolkit, {page.section.title}",
        rank=page.rank,
    )


PROVIDER = Provider(
    key="toolkit",
    label="toolkit pages",
    search=lambda q: Page.objects.published()
    .search(q, start_sel=MARK_START, stop_sel=MARK_STOP)
    .select_related("section"),
    result=page_result,
    vocabulary=lambda: Page.objects.published()
    .annotate(text=Concat("title", Value(" "), "summary", output_field=TextField()))
    .values_list("text"),
    position=1,
    models=(Page, Section),
)
