"""Public directory listings in the site-wide search (linkup/search.py):
public fields only, never an e-mail address or phone number. Every search
that would show listings counts against the directory's limit."""

from directory.models import Listing
from linkup.ratelimit import client_address, hit
from linkup.search import Provider, Result, highlight, snippet


def listing_result(listing):
    return Result(
        title=listing.full_name,
        url=listing.get_absolute_url(),
        snippet=highlight(snippet(listing.headline, whole=listing.expertise)),
        meta=f"{listing.job_title}, {listing.organisation}",
        rank=listing.rank,
    )


def within_browse_limit(request) -> bool:
    """Counts a request against the limit the directory's own pages use."""
    from directory.views import browse_rate_limit

    return hit("directory-browse", client_address(request), limit=browse_rate_limit(), window=60)


PROVIDER = Provider(
    key="directory",
    label="people in the directory",
    label_one="person in the directory",
    search=lambda q: Listing.objects.public().search(q).select_related("agency"),
    result=listing_result,
    public=lambda: Listing.objects.public(),
    fields=("full_name", "job_title", "organisation", "tags", "places", "expertise"),
    position=3,
    models=(Listing,),
    allowed=within_browse_limit,
)
