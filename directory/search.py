"""Public directory listings in the site-wide search (linkup/search.py):
public fields only, never an e-mail address or phone number."""

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from directory.models import HIGHLIGHT_START, HIGHLIGHT_STOP, Listing, SearchResults
from linkup.search import Provider, Result, highlight


def listing_result(listing):
    return Result(
        title=listing.full_name,
        url=listing.get_absolute_url(),
        snippet=highlight(listing.headline, HIGHLIGHT_START, HIGHLIGHT_STOP),
        meta=f"{listing.job_title}, {listing.organisation}",
        rank=listing.rank,
    )


def search_public(query: str):
    """The directory's own search (``ListingQuerySet.search()``), as a queryset."""
    results = Listing.objects.public().search(query, narrowed=False)
    return results.as_queryset() if isinstance(results, SearchResults) else results.none()


PROVIDER = Provider(
    key="directory",
    label="people in the directory",
    search=search_public,
    result=listing_result,
    vocabulary=lambda: Listing.objects.public()
    .annotate(text=Concat("job_title", Value(" "), "tags", output_field=TextField()))
    .values_list("text"),
    position=3,
    models=(Listing,),
)
