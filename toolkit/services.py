"""Reads shared by the toolkit's views: links into other parts of the
portal, case-study search for the builder, and the finder's answer."""

from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import NoReverseMatch

from casestudies.models import CaseStudy
from linkup.context_processors import url_if_installed
from toolkit.models import AgencySuggestion, Page


def without_nul(data: QueryDict) -> QueryDict:
    """A copy of submitted data with NUL characters removed: the database
    refuses them, and no answer needs one."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    return cleaned


def client_group_links(group, *, region=None, area=None) -> dict:
    """Links to the case studies and directory entries for a client group
    (narrowed to a region or a directory authority when given), for the
    parts of the portal that exist: never a broken link."""
    links = {}
    if url := url_if_installed("casestudies:list"):
        params = {"client_group": group.slug, **({"region": region.slug} if region else {})}
        links["case_studies"] = f"{url}?{urlencode(params)}"
    if url := url_if_installed("directory:search"):
        params = {"client_group": group.slug, **({"area": area.slug} if area else {})}
        links["directory"] = f"{url}?{urlencode(params)}"
    return links


def case_studies_matching(query: str, *, limit: int = 10) -> list:
    """Published case studies for a builder search, best first."""
    query = (query or "").strip()
    if not query:
        return []
    published = CaseStudy.objects.published()
    if hasattr(published, "search"):
        found = published.search(query)
    else:
        # Until case studies have their own search, use the stored vector.
        found = published.filter(search_vector=SearchQuery(query, config="english", search_type="websearch"))
    return list(found.select_related("region")[:limit])


def finder_suggestions(*, client_group, need) -> list:
    """The agencies to involve: those for this client group first, then those
    for everyone; each agency once."""
    suggestions = (
        AgencySuggestion.objects.filter(need=need)
        .filter(Q(client_group=client_group) | Q(client_group__isnull=True))
        .select_related("agency")
        .order_by(F("client_group").asc(nulls_last=True), "position", "pk")
    )
    by_agency = {}
    for suggestion in suggestions:
        by_agency.setdefault(suggestion.agency_id, suggestion)
    return sorted(by_agency.values(), key=lambda s: (s.position, s.pk))


def guide_for(client_group):
    return Page.objects.published().filter(client_group=client_group).select_related("section").first()


def public_url(obj) -> str | None:
    """An object's public address, or None while its part of the portal has
    no page for it yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None
