"""Directory pages. Views are thin: the form validates the input, the
QuerySet decides what is public and how to search, services do the writes."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from linkup.models import ClientGroup, LocalAuthority
from linkup.moderation import Status
from linkup.pagecache import cached_fragment, cached_page, form_fragment
from linkup.ratelimit import client_address, hit, too_many_requests
from linkup.reference_data import AGENCIES, CLIENT_GROUPS
from linkup.tokens import make_token, read_token

from . import services
from .forms import ContactRequestForm, ListingForm, ManageRequestForm, SearchForm
from .models import SEARCH_CAP, Listing, OpenTo, RankedResults, open_authorities

PAGE_SIZE = 25  # the most a page shows: the directory offers no bulk export


class CappedPaginator(Paginator):
    """Counts at most SEARCH_CAP matches, so a common word never counts the
    whole directory; ``capped`` says there were more ("More than 1,000
    people"), and the pages then go up to SEARCH_CAP / PAGE_SIZE.

    A keyword search brings its count on every row (``found``, a window
    over its capped candidates), so the page is read first and the count
    taken from its first row: one statement for both. Without keywords, or
    when the page asked for is empty (out of range), the count is a query
    of its own (``SELECT count(*) FROM (... LIMIT SEARCH_CAP + 1)``)."""

    capped = False

    @functools.cached_property
    def count(self):
        if isinstance(self.object_list, RankedResults):
            return self._capped(self.object_list.capped_count())
        return self._capped(self.object_list.order_by().values("pk")[: SEARCH_CAP + 1].count())

    def _capped(self, found: int) -> int:
        self.capped = found > SEARCH_CAP
        return min(found, SEARCH_CAP)

    def _brings_count(self) -> bool:
        if isinstance(self.object_list, RankedResults):
            return True
        return "found" in self.object_list.query.annotations

    def get_page(self, number):
        if "count" in self.__dict__ or not self._brings_count():
            return super().get_page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # as get_page() does with a page number that is not a number
        # Pages beyond the cap are never shown: no need to ask for them.
        if 1 <= wanted <= -(-SEARCH_CAP // self.per_page):
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page])
            if rows:
                self.count = self._capped(rows[0].found)
                if wanted <= self.num_pages:
                    # Never the candidate past the cap.
                    return self._get_page(rows[: self.count - bottom], wanted, self)
            elif wanted == 1:
                self.count = self._capped(0)
                return self._get_page(rows, wanted, self)
        return super().get_page(number)


def rate_limited(view):
    """Directory search and profile pages: a limit per client address, to
    make scraping the directory slow."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not hit(
            "directory-browse",
            client_address(request),
            limit=settings.DIRECTORY_RATE_LIMIT_PER_MINUTE,
            window=60,
        ):
            return too_many_requests(request, retry_after=60)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "authorities": open_authorities(),
            "client_groups": ClientGroup.objects.ordered(),
            "OpenTo": OpenTo,
        },
    )


def _words(text: str) -> set[str]:
    """Lower-case words, a plural's "s" dropped: "care leaver" is "care leavers"."""
    return {word.removesuffix("s") for word in re.findall(r"\w+", text.lower()) if len(word) > 2}


def _filters_named_in(query: str, form) -> list[dict]:
    """When a keyword finds no one: the client groups and agencies it names
    ("care leavers"), each as the same search by that filter instead. The
    directory searches what people say about themselves, which need not
    use those words. Asked only for an empty page (at most two short lists)."""
    typed = _words(query)

    def named(*names):
        return any((words := _words(n)) and words <= typed for n in names)

    # The names the reference data is made from tell, with no query, whether
    # the lists need reading at all (most keywords name neither).
    if not any(named(group[0], group[1]) for group in CLIENT_GROUPS) and not any(map(named, AGENCIES)):
        return []
    others = {k: v for k, v in form.query_items if k not in {"q", "client_group", "agency", "sort"}}
    found = []
    for name, label in (
        ("client_group", lambda g: f"People who work with {g.name.lower()}"),
        ("agency", lambda a: f"People in the agency or sector ‘{a.name}’"),
    ):
        # The form's own list: already read if that filter was chosen.
        for row in form.fields[name].loaded_objects():
            if named(row.name, getattr(row, "short_name", "")):
                found.append({"label": label(row), "url": "?" + urlencode({**others, name: row.slug})})
    return found


def _filter_tags(form, data) -> list[dict]:
    """Each chosen filter, with the address of the same search without it."""
    tags = []
    labels = {
        "q": lambda v: f"Search: {v}",
        "area": lambda v: f"Area: {v}",
        "neighbours": lambda v: "Including neighbouring areas",
        "agency": lambda v: f"Agency: {v}",
        "client_group": lambda v: f"Client group: {v}",
        "open_to": lambda v: f"Open to: {OpenTo(v).label.lower()}",
    }
    for name, label in labels.items():
        value = data.get(name)
        if not value:
            continue
        remaining = {
            k: v for k, v in form.query_items if k != name and not (name == "area" and k == "neighbours")
        }
        tags.append({"label": label(value), "url": "?" + urlencode(remaining)})
    return tags


@rate_limited  # before the page cache: every request counts against the limit
@cached_page
@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    form.is_valid()
    # Use what is valid; anything that is not is reported in the error summary.
    data = getattr(form, "cleaned_data", {}) or {}
    listings = Listing.objects.public()
    if data.get("area"):
        area = data["area"]
        covered = Q(localauthority=area)
        if data.get("neighbours"):
            neighbours = LocalAuthority.neighbours.through.objects.filter(from_localauthority=area)
            covered |= Q(localauthority__in=neighbours.values("to_localauthority"))
        # EXISTS rather than a join: no duplicate rows, no DISTINCT.
        listings = listings.filter(
            Exists(Listing.areas.through.objects.filter(covered, listing=OuterRef("pk")))
        )
    if data.get("agency"):
        listings = listings.filter(agency=data["agency"])
    if data.get("client_group"):
        listings = listings.filter(
            Exists(
                Listing.client_groups.through.objects.filter(
                    listing=OuterRef("pk"), clientgroup=data["client_group"]
                )
            )
        )
    if data.get("open_to"):
        listings = listings.filter(open_to__contains=[data["open_to"]])
    query = data.get("q", "")
    sort = data.get("sort") or ("relevance" if query else "name")
    if query and sort == "relevance":
        listings = listings.ranked_search(query)
    elif query:
        listings = listings.search(query)
    if sort == "name" or (sort == "relevance" and not query):
        listings = listings.order_by("full_name", "pk")
    elif sort == "confirmed":
        listings = listings.order_by(F("last_confirmed").desc(nulls_last=True), "full_name", "pk")
    paginator = CappedPaginator(listings.for_results_page(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # The words the search ran with when the typed ones were corrected
    # (annotated on every row, so read from the page already fetched).
    correction = getattr(page[0], "search_correction", None) if query and len(page) else None
    form.query_items = [
        (name, value)
        for name, value in (
            ("q", query),
            ("area", data["area"].slug if data.get("area") else ""),
            ("neighbours", "on" if data.get("neighbours") and data.get("area") else ""),
            ("agency", data["agency"].slug if data.get("agency") else ""),
            ("client_group", data["client_group"].slug if data.get("client_group") else ""),
            ("open_to", data.get("open_to", "")),
            ("sort", data.get("sort", "")),
        )
        if value
    ]
    named_filters = _filters_named_in(query, form) if query and not len(page) else []
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            # The filters (all but the keyword box, which the page draws
            # itself) are the same whatever the keyword: from the shared cache.
            "filters_html": cached_fragment(
                request,
                "directory:filters",
                form_fragment(
                    form, [name for name in form.fields if name != "q"], "directory/includes/filters.html"
                ),
            ),
            "page": page,
            "query": query,
            "correction": correction,
            "named_filters": named_filters,
            "sort": sort,
            "filter_tags": _filter_tags(
                form,
                {
                    "q": query,
                    "area": data.get("area"),
                    "neighbours": data.get("neighbours") and data.get("area"),
                    "agency": data.get("agency"),
                    "client_group": data.get("client_group"),
                    "open_to": data.get("open_to"),
                },
            ),
            "page_query": urlencode(form.query_items),
            "searched": bool(request.GET),
        },
    )


def _public_listing(reference: str) -> Listing:
    return get_object_or_404(Listing.objects.public().with_related(), reference=reference)


@rate_limited
@cached_page
@require_safe
def profile(request, reference):
    listing = _public_listing(reference)
    return render(request, "directory/profile.html", {"listing": listing})


@rate_limited
@require_http_methods(["GET", "POST"])
def connect(request, reference):
    listing = _public_listing(reference)
    if listing.show_contact:
        return redirect(listing)
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return _sent(listing)
        limit = settings.DIRECTORY_CONTACT_LIMIT_PER_HOUR
        by_address = hit("directory-connect-address", client_address(request), limit=limit, window=3600)
        by_sender = hit(
            "directory-connect-sender", form.cleaned_data["sender_email"], limit=limit, window=3600
        )
        if not (by_address and by_sender):
            return too_many_requests(request, retry_after=3600)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        services.contact_request_send(listing=listing, data=data)
        return _sent(listing)
    return render(request, "directory/connect.html", {"listing": listing, "form": form})


# The confirmation after a request to connect: its address carries a signed
# mark that a request was just sent, so no one is told "request sent" for a
# request they never made.
SENT_PURPOSE = "connect-sent"
SENT_MAX_AGE = 60 * 60


def _sent(listing: Listing):
    url = reverse("directory:connect_sent", args=[listing.reference])
    return redirect(f"{url}?{urlencode({'sent': make_token(listing, SENT_PURPOSE)})}")


@require_safe
def connect_sent(request, reference):
    listing = _public_listing(reference)
    if read_token(Listing, request.GET.get("sent", ""), SENT_PURPOSE, max_age=SENT_MAX_AGE) != listing:
        return redirect("directory:connect", reference=reference)
    return render(request, "directory/connect_sent.html", {"listing": listing})


@require_http_methods(["GET", "POST"])
def add(request):
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("directory:add_sent")
        if not hit(
            "directory-add", client_address(request), limit=settings.DIRECTORY_ADD_LIMIT_PER_HOUR, window=3600
        ):
            return too_many_requests(request, retry_after=3600)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        with transaction.atomic():
            services.listing_submit(data=data)
        return redirect("directory:add_sent")
    return render(request, "directory/add.html", {"form": form})


@require_safe
def add_sent(request):
    return render(request, "directory/add_sent.html")


@require_http_methods(["GET", "POST"])
def manage_request(request):
    form = ManageRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            email = form.cleaned_data["email"]
            allowed = hit(
                "directory-manage-address",
                client_address(request),
                limit=settings.DIRECTORY_MANAGE_LIMIT_PER_HOUR,
                window=3600,
            ) and hit(
                "directory-manage-email",
                email,
                limit=settings.DIRECTORY_MANAGE_EMAIL_LIMIT_PER_HOUR,
                window=3600,
            )
            if allowed:
                with transaction.atomic():
                    services.listing_send_manage_link(email=email)
        # The same answer whether or not the address is listed.
        return redirect("directory:manage_request_sent")
    return render(request, "directory/manage_request.html", {"form": form})


@require_safe
def manage_request_sent(request):
    return render(request, "directory/manage_request_sent.html")


def _listing_from_token(token, purpose, max_age):
    listing = read_token(Listing, token, purpose, max_age=max_age)
    if listing is None or listing.status in (Status.WITHDRAWN, Status.REJECTED):
        return None
    return listing


def link_expired(request):
    return render(request, "directory/link_expired.html", status=404)


@require_http_methods(["GET"])
def manage(request, token):
    listing = _listing_from_token(token, services.MANAGE_PURPOSE, settings.DIRECTORY_MANAGE_LINK_MAX_AGE)
    if listing is None:
        return link_expired(request)
    return render(request, "directory/manage.html", {"listing": listing, "token": token})


@require_http_methods(["GET", "POST"])
def manage_edit(request, token):
    listing = _listing_from_token(token, services.MANAGE_PURPOSE, settings.DIRECTORY_MANAGE_LINK_MAX_AGE)
    if listing is None:
        return link_expired(request)
    form = ListingForm(request.POST or None, instance=listing, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        services.listing_update_by_owner(listing=listing, data=data)
        return render(request, "directory/manage_done.html", {"action": "edited"})
    return render(request, "directory/manage_edit.html", {"form": form, "listing": listing, "token": token})


@require_http_methods(["GET", "POST"])
def manage_withdraw(request, token):
    listing = _listing_from_token(token, services.MANAGE_PURPOSE, settings.DIRECTORY_MANAGE_LINK_MAX_AGE)
    if listing is None:
        return link_expired(request)
    if request.method == "POST":
        services.listing_withdraw_by_owner(listing=listing)
        return render(request, "directory/manage_done.html", {"action": "withdrawn"})
    return render(request, "directory/manage_withdraw.html", {"listing": listing, "token": token})


@require_http_methods(["GET", "POST"])
def confirm(request, token, purpose=services.CONFIRM_PURPOSE):
    """One click from the reminder e-mail. The link opens a page with one
    button: a GET never changes anything (mail scanners follow links)."""
    max_age = (
        settings.DIRECTORY_CONFIRM_LINK_MAX_AGE
        if purpose == services.CONFIRM_PURPOSE
        else settings.DIRECTORY_MANAGE_LINK_MAX_AGE
    )
    listing = _listing_from_token(token, purpose, max_age)
    if listing is None:
        return link_expired(request)
    if request.method == "POST":
        services.listing_confirm(listing=listing)
        return render(request, "directory/manage_done.html", {"action": "confirmed"})
    return render(request, "directory/confirm.html", {"listing": listing})
