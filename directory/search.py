"""Public directory listings in the site-wide search (linkup/search.py):
public fields only, never an e-mail address or phone number. Every search
that would show listings counts against the directory's limit
(``browse_allowed()``), as the directory's own pages do."""

from django.conf import settings

from directory.models import Listing, SearchResults
from linkup.ratelimit import client_address, hit
from linkup.search import Provider, Result


def listing_result(listing):
    return Result(
        title=listing.full_name,
        url=listing.get_absolute_url(),
        snippet=listing.highlights.expertise,
        meta=f"{listing.job_title}, {listing.organisation}",
        rank=listing.rank,
    )


def search_public(query: str):
    """The directory's own search (``ListingQuerySet.search()``): the same
    ranking, order and count as the directory's results page."""
    results = Listing.objects.public().search(query, narrowed=False)
    return results if isinstance(results, SearchResults) else results.none()


# Seconds: the directory's limit is so many requests a minute.
BROWSE_WINDOW = 60


def browse_allowed(request) -> bool:
    """Counts a request that shows listings (a directory page or a site
    search) against the client's one directory limit, to make scraping the
    directory slow; whether it is within the limit."""
    limit = settings.DIRECTORY_RATE_LIMIT_PER_MINUTE
    return hit("directory-browse", client_address(request), limit=limit, window=BROWSE_WINDOW)


PROVIDER = Provider(
    key="directory",
    label="people in the directory",
    label_one="person in the directory",
    search=search_public,
    result=listing_result,
    public=lambda: Listing.objects.public(),
    fields=("full_name", "job_title", "organisation", "tags", "places", "expertise"),
    position=3,
    models=(Listing,),
    allowed=browse_allowed,
    retry_after=BROWSE_WINDOW,
)
