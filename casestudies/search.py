"""Published case studies in the site-wide search (linkup/search.py)."""

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from casestudies.models import CaseStudy, highlight_html
from linkup.search import Provider, Result

PROVIDER = Provider(
    key="casestudies",
    label="case studies",
    search=lambda q: CaseStudy.objects.published().search(q).select_related("region"),
    result=lambda c: Result(
        title=c.title,
        url=c.get_absolute_url(),
        snippet=highlight_html(c.headline),
        meta=f"Case study, {c.region.name}",
        rank=c.rank,
    ),
    vocabulary=lambda: CaseStudy.objects.published()
    .annotate(text=Concat("title", Value(" "), "summary", output_field=TextField()))
    .values_list("text"),
    position=2,
    models=(CaseStudy,),
)
