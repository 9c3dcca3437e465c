"""Template context every page needs. Nothing here touches the database, so
error pages render even when it is down."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

NAVIGATION = [
    ("Toolkit", "toolkit:home"),
    ("Case studies", "casestudies:home"),
    ("Directory", "directory:home"),
    ("Share an example", "casestudies:submit"),
]


def url_if_installed(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        # A part of the portal that is not installed is left out of the menu.
        return None


def site(request):
    path = getattr(request, "path", "")
    navigation = [
        {"label": label, "url": url} for label, name in NAVIGATION if (url := url_if_installed(name))
    ]
    # The most specific match is current ("Share an example" sits under "Case studies").
    matches = [item for item in navigation if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {
        "SERVICE_NAME": "Link Up, Link In",
        "NAVIGATION": navigation,
        "SITE_SEARCH_URL": url_if_installed("search:results"),
        "SITE_URL": settings.SITE_URL,
    }
