"""Directory pages. Views are thin: the form or FilterSet validates the
input, the QuerySet decides what is public and how to search, services do
the writes."""

from __future__ import annotations

import functools
from collections import Counter
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from casestudies.models import CaseStudy
from linkup.models import ClientGroup, LocalAuthority
from linkup.moderation import Status
from linkup.pagecache import cached_page, content_cached, form_part
from linkup.ratelimit import client_address, hit, refused, too_many_requests
from linkup.tokens import make_token, read_token

from . import services
from .filters import ListingFilter
from .forms import ContactReportForm, ContactRequestForm, ListingForm, ManageRequestForm
from .models import ContactRequest, Listing, OpenTo
from .search import BROWSE_WINDOW, browse_allowed

PAGE_SIZE = 25  # the most a page shows: the directory offers no bulk export


def rate_limited(view):
    """Directory search and profile pages count against the directory's
    limit (``browse_allowed()``)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not browse_allowed(request):
            return too_many_requests(request, retry_after=BROWSE_WINDOW)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "authorities": LocalAuthority.objects.open_to_listings(),
            "client_groups": ClientGroup.objects.ordered(),
            "OpenTo": OpenTo,
        },
    )


@rate_limited  # before the page cache: every request counts against the limit
@cached_page
@require_safe
def search(request):
    filterset = ListingFilter(request.GET, queryset=Listing.objects.public())
    results = filterset.search()
    paginator = Paginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = filterset.keyword
    tags = filterset.filter_tags()
    # People of the same name on one page are told apart by their reference.
    names = Counter(listing.full_name.casefold() for listing in page.object_list)
    namesakes = {listing.pk for listing in page.object_list if names[listing.full_name.casefold()] > 1}
    # The filters (all but the keyword box) are the same whatever the keyword,
    # and drawing them is much of this page's time (bench/run_all.py).
    filters = [name for name in filterset.form.fields if name != "q"]
    return render(
        request,
        "directory/search.html",
        {
            "form": filterset.form,
            "filters_html": content_cached(
                request,
                "directory:filters",
                *form_part(filterset.form, filters, "directory/includes/filters.html", bool(query)),
            ),
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "query": query,
            # The words the search ran with when the typed ones were corrected.
            "correction": getattr(results, "correction", None),
            "named_filters": filterset.filters_named() if query and not len(page) else [],
            "sort": filterset.sort_order.used,
            "filter_tags": tags,
            "filters_chosen": len(tags) - bool(query),
            "namesakes": namesakes,
            "searched": bool(request.GET),
            # Each profile link carries this page's address, for its "Back to search".
            "back_query": urlencode({"back": request.get_full_path()}),
        },
    )


def search_return_url(back: str) -> str:
    """The results page a profile was opened from, so "Back to search" keeps
    the query, filters and page: only a relative address of the search page
    itself is taken, anything else gives the empty search."""
    search_url = reverse("directory:search")
    parts = urlsplit(back)
    if (
        url_has_allowed_host_and_scheme(back, allowed_hosts=None)
        and not parts.scheme
        and not parts.netloc
        and parts.path == search_url
    ):
        return f"{search_url}?{parts.query}" if parts.query else search_url
    return search_url


def _public_listing(reference: str) -> Listing:
    return get_object_or_404(Listing.objects.public().with_related(), reference=reference)


@rate_limited
@cached_page
@require_safe
def profile(request, reference):
    listing = _public_listing(reference)
    return render(
        request,
        "directory/profile.html",
        {"listing": listing, "search_url": search_return_url(request.GET.get("back", ""))},
    )


def profile_preview(request, listing: Listing, *, back_url: str):
    """The profile of a listing not yet public, for moderators only (called
    from admin, which checks the permission and marks it uncacheable)."""
    listing = Listing.objects.with_related().get(pk=listing.pk)
    context = {
        "listing": listing,
        "preview": True,
        "preview_status": listing.get_status_display(),
        "preview_back_url": back_url,
    }
    return render(request, "directory/profile.html", context)


# The relay (see ``services.RelayTarget``): a request to connect with a
# listed professional, or a question about a case study. Each view takes the
# target's kind from its URL and its key (a listing's reference, a case
# study's slug).


def relay_view(view):
    """A relay page: a listing's pages count against the directory's limit
    (``browse_allowed()``), as its profile does."""
    limited = rate_limited(view)

    @functools.wraps(view)
    def wrapper(request, key, *args, kind="listing", **kwargs):
        if kind == "listing":
            return limited(request, key, *args, kind=kind, **kwargs)
        return view(request, key, *args, kind=kind, **kwargs)

    return wrapper


def _relay_record(kind: str, key: str):
    """The public record a message may go to, or None."""
    if kind == "case_study":
        return CaseStudy.objects.open_to_questions().filter(slug=key).first()
    return Listing.objects.public().with_related().filter(reference=key).first()


def _open_target(kind: str, key: str):
    """The target of a new message, or the response that says there is none:
    its page when it shows its address or no longer takes questions, else a 404."""
    record = _relay_record(kind, key)
    if record is None:
        if kind == "case_study" and CaseStudy.objects.published().filter(slug=key).exists():
            return None, redirect("casestudies:detail", slug=key)
        raise Http404("Nobody to send a message to here")
    if kind == "listing" and record.show_contact:
        return None, redirect(record)
    return services.relay_target(record), None


@relay_view
@require_http_methods(["GET", "POST"])
def connect(request, key, kind="listing"):
    target, elsewhere = _open_target(kind, key)
    if elsewhere:
        return elsewhere
    form = ContactRequestForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return _sent(target)
        # One limit for every message the relay sends, whoever it is to.
        limit = settings.DIRECTORY_CONTACT_LIMIT_PER_HOUR
        by_address = hit("directory-connect-address", client_address(request), limit=limit, window=3600)
        by_sender = hit(
            "directory-connect-sender", form.cleaned_data["sender_email"], limit=limit, window=3600
        )
        if not (by_address and by_sender):
            return too_many_requests(request, retry_after=3600)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        services.contact_request_send(target=target.record, data=data)
        return _sent(target)
    return render(request, "directory/connect.html", {"target": target, "form": form})


# "Check your e-mail" after a message: its address carries a signed mark
# that one was just sent, so no one is sent there for a message they never sent.
SENT_PURPOSE = "connect-sent"
SENT_MAX_AGE = 60 * 60


def _sent(target):
    return redirect(f"{target.sent_url}?{urlencode({'sent': make_token(target.record, SENT_PURPOSE)})}")


@relay_view
@require_safe
def connect_sent(request, key, kind="listing"):
    target, elsewhere = _open_target(kind, key)
    if elsewhere:
        return elsewhere
    model = type(target.record)
    if read_token(model, request.GET.get("sent", ""), SENT_PURPOSE, max_age=SENT_MAX_AGE) != target.record:
        return redirect(target.form_url)
    hours = settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE // 3600
    return render(request, "directory/connect_sent.html", {"target": target, "hours": hours})


@require_http_methods(["GET", "POST"])
def connect_confirm(request, key, token, kind="listing"):
    """The link in the sender's e-mail. It opens a page with one button,
    since a GET never changes anything (mail scanners follow links); the
    button relays the message, once, if its target still takes messages."""
    contact_request = read_token(
        ContactRequest,
        token,
        services.CONTACT_CONFIRM_PURPOSE,
        max_age=settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE,
    )
    record = _relay_record(kind, key)
    target = services.relay_target(record) if record else None
    hours = settings.DIRECTORY_CONTACT_CONFIRM_LINK_MAX_AGE // 3600
    if contact_request is None or target is None or contact_request.target != record:
        return render(
            request,
            "directory/connect_expired.html",
            {"target": target, "kind": kind, "hours": hours},
            status=404,
        )
    if contact_request.confirmed_at:
        outcome = services.RelayOutcome.ALREADY_SENT
    elif request.method == "POST":
        outcome = services.contact_request_relay(contact_request=contact_request)
    else:
        return render(request, "directory/connect_confirm.html", {"target": target})
    return render(
        request,
        "directory/connect_done.html",
        {"target": target, "outcome": outcome, "hours": hours},
    )


@require_http_methods(["GET", "POST"])
def report(request, token):
    """The recipient's link to report a relayed message as misuse."""
    days = settings.DIRECTORY_CONTACT_REPORT_LINK_DAYS
    contact_request = read_token(
        ContactRequest, token, services.CONTACT_REPORT_PURPOSE, max_age=days * 24 * 60 * 60
    )
    if contact_request is None or contact_request.emailed_at is None:
        return render(
            request,
            "directory/report_expired.html",
            {"days": days, "taskforce_email": settings.TASKFORCE_EMAIL},
            status=404,
        )
    target = services.relay_target(contact_request.target)
    if contact_request.reported_at:
        return render(request, "directory/report_done.html", {"already": True, "target": target})
    form = ContactReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reported = services.contact_request_report(
            contact_request=contact_request,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )
        return render(request, "directory/report_done.html", {"already": not reported, "target": target})
    context = {"form": form, "contact_request": contact_request, "target": target}
    return render(request, "directory/report.html", context)


@require_http_methods(["GET", "POST"])
def add(request):
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("directory:add_sent")
        if refusal := refused(
            request, "directory-add", limit=settings.DIRECTORY_ADD_LIMIT_PER_HOUR, window=3600
        ):
            return refusal
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        with transaction.atomic():
            services.listing_submit(data=data)
        return redirect("directory:add_sent")
    return render(request, "directory/add.html", {"form": form})


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
