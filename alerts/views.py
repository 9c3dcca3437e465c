"""E-mail alert pages: sign up for a list's results, confirm, manage and
unsubscribe through signed links (no account), and "Get updates", which
explains alerts and feeds. No page shows an e-mail address."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from alerts import services
from alerts.forms import FrequencyForm, SignUpForm
from alerts.topics import topic_read
from linkup.models import ClientGroup, Region
from linkup.notifications import absolute
from linkup.ratelimit import client_address, hit, too_many_requests

SLUG = re.compile(r"[-a-z0-9]{1,120}")


@require_http_methods(["GET", "POST"])
def signup(request):
    """The form for "Get emails about these results": the topic is the
    list's query string, kept in this page's address."""
    topic = topic_read(request.GET)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("alerts:check_email")
        email = form.cleaned_data["email"]
        by_client = hit(
            "alerts-signup-address",
            client_address(request),
            limit=settings.ALERTS_SIGNUP_LIMIT_PER_HOUR,
            window=3600,
        )
        by_address = hit(
            "alerts-signup-email", email, limit=settings.ALERTS_SIGNUP_EMAIL_LIMIT_PER_HOUR, window=3600
        )
        allowed = by_client and by_address
        if not allowed:
            return too_many_requests(request, retry_after=3600)
        services.subscription_request(email=email, topic=topic, frequency=form.cleaned_data["frequency"])
        return redirect("alerts:check_email")
    list_url = reverse("casestudies:list") + (f"?{topic.query}" if topic.query else "")
    return render(request, "alerts/signup.html", {"form": form, "topic": topic, "list_url": list_url})


@require_safe
def check_email(request):
    return render(request, "alerts/check_email.html", {"days": settings.ALERTS_CONFIRM_LINK_DAYS})


def link_expired(request):
    return render(request, "alerts/link_expired.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link in the sign-up e-mail opens a page with one button: a GET
    changes nothing (mail scanners follow links)."""
    subscription = services.subscription_from_token(token, services.CONFIRM_PURPOSE)
    if subscription is None:
        return link_expired(request)
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        return render(
            request,
            "alerts/confirmed.html",
            {"subscription": subscription, "manage_url": services.manage_url(subscription)},
        )
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscription = services.subscription_from_token(token, services.MANAGE_PURPOSE)
    if subscription is None:
        return link_expired(request)
    changed = False
    if request.method == "POST" and request.POST.get("action") == "end-all":
        with transaction.atomic():
            services.subscriptions_end_all(subscription=subscription)
        return render(request, "alerts/unsubscribed.html", {"every_alert": True})
    form = FrequencyForm(
        request.POST if request.method == "POST" else None, initial={"frequency": subscription.frequency}
    )
    if request.method == "POST" and form.is_valid():
        services.subscription_change(subscription=subscription, frequency=form.cleaned_data["frequency"])
        changed = True
    return render(
        request,
        "alerts/manage.html",
        {
            "subscription": subscription,
            "form": form,
            "changed": changed,
            "unsubscribe_url": services.unsubscribe_url(subscription),
        },
    )


@csrf_exempt  # RFC 8058: mail programs POST here with no token and no page; the signed link is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click: a POST (from a mail program's "Unsubscribe", or the
    button on this page) ends the alert; a GET only asks."""
    subscription = services.subscription_from_token(token, services.UNSUBSCRIBE_PURPOSE)
    if subscription is None:
        return link_expired(request)
    if request.method == "POST":
        services.subscription_end(subscription=subscription)
        return render(request, "alerts/unsubscribed.html", {"topic": subscription.topic})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


def _by_slug(model, slug: str):
    """The row with this slug; None for anything that is no slug at all."""
    return model.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None


@require_safe
def updates(request):
    """ "Get updates": where the feed links lead. For one region or client
    group (``?region=`` or ``?client_group=``), its feed; otherwise every
    new case study's."""
    region = _by_slug(Region, request.GET.get("region", ""))
    group = None if region else _by_slug(ClientGroup, request.GET.get("client_group", ""))
    if region:
        feed_path, query = reverse("casestudies:region_feed", args=[region.slug]), f"region={region.slug}"
    elif group:
        feed_path = reverse("casestudies:client_group_feed", args=[group.slug])
        query = f"client_group={group.slug}"
    else:
        feed_path, query = reverse("casestudies:feed"), ""
    return render(
        request,
        "alerts/updates.html",
        {
            "feed_url": absolute(feed_path),
            "feed_path": feed_path,
            "topic": topic_read(QueryDict(query)),
            "signup_url": reverse("alerts:signup") + (f"?{query}" if query else ""),
        },
    )
