"""Published case studies in the site-wide search (linkup/search.py)."""

from casestudies.models import CaseStudy
from linkup.search import Provider, Result, highlight, snippet

PROVIDER = Provider(
    key="casestudies",
    label="case studies",
    label_one="case study",
    search=lambda q: CaseStudy.objects.published()
    .search(q)
    .select_related("region")
    .only("title", "slug", "summary", "region__name"),
    result=lambda c: Result(
        title=c.title,
        url=c.get_absolute_url(),
        snippet=highlight(snippet(c.headline, whole=c.summary)),
        meta=f"Case study, {c.region.name}",
        rank=c.rank,
    ),
    public=lambda: CaseStudy.objects.published(),
    fields=("title", "summary", "organisations"),
    position=2,
    models=(CaseStudy,),
)
