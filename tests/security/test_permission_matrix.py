"""Every URL × every kind of visitor → the expected status.

The URLs come from the URL configuration itself: a URL added without an
entry in ``PUBLIC`` (or, for admin, without a rule below) fails
``test_every_url_has_an_entry``. Visitors: anonymous, a submitter holding a
valid edit link, a moderator, and a superuser (both past the second factor).
Public pages never show unpublished records to anyone, staff included.
"""

import pytest
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casestudies.models import CaseStudy
from linkup.moderation import Status

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "submitter", "moderator", "superuser"]
ALL = dict.fromkeys(ROLES)


def same(status):
    return dict.fromkeys(ROLES, status)


# name → (how to build the path from the fixtures, expected status per role).
# A token URL gets the submitter's valid token for "submitter" and a forged one
# for everybody else.
PUBLIC = {
    "home": (lambda f: "/", same(200)),
    "healthz": (lambda f: "/healthz", same(200)),
    "accessibility": (lambda f: reverse("accessibility"), same(200)),
    "privacy": (lambda f: reverse("privacy"), same(200)),
    "cookies": (lambda f: reverse("cookies"), same(200)),
    "contact": (lambda f: reverse("contact"), same(200)),
    "search:results": (lambda f: reverse("search:results") + "?q=housing", same(200)),
    "toolkit:home": (lambda f: reverse("toolkit:home"), same(200)),
    "toolkit:finder": (lambda f: reverse("toolkit:finder"), same(200)),
    "toolkit:business_case": (lambda f: reverse("toolkit:business_case"), same(200)),
    "toolkit:section": (lambda f: f["toolkit_page"].section.get_absolute_url(), same(200)),
    "toolkit:page": (lambda f: f["toolkit_page"].get_absolute_url(), same(200)),
    "casestudies:home": (lambda f: reverse("casestudies:home"), same(200)),
    "casestudies:list": (lambda f: reverse("casestudies:list"), same(200)),
    "casestudies:export_csv": (lambda f: reverse("casestudies:export_csv"), same(200)),
    "casestudies:api": (lambda f: reverse("casestudies:api"), same(200)),
    "casestudies:api_schema": (lambda f: reverse("casestudies:api_schema"), same(200)),
    "casestudies:feed": (lambda f: reverse("casestudies:feed"), same(200)),
    "casestudies:region": (lambda f: reverse("casestudies:region", args=["london"]), same(200)),
    "casestudies:region_feed": (lambda f: reverse("casestudies:region_feed", args=["london"]), same(200)),
    "casestudies:client_group": (
        lambda f: reverse("casestudies:client_group", args=["care-leavers"]),
        same(200),
    ),
    "casestudies:client_group_feed": (
        lambda f: reverse("casestudies:client_group_feed", args=["care-leavers"]),
        same(200),
    ),
    "casestudies:submit": (lambda f: reverse("casestudies:submit"), same(200)),
    "casestudies:submit_step": (lambda f: reverse("casestudies:submit_step", args=["about-you"]), same(200)),
    # Nothing answered yet: back to the first question / the start.
    "casestudies:submit_check": (lambda f: reverse("casestudies:submit_check"), same(302)),
    "casestudies:submit_figure_add": (lambda f: reverse("casestudies:submit_figure_add"), same(200)),
    # Figures live in the visitor's own session: with none there, there is nothing to change.
    "casestudies:submit_figure": (lambda f: reverse("casestudies:submit_figure", args=[1]), same(404)),
    "casestudies:submit_figure_remove": (
        lambda f: reverse("casestudies:submit_figure_remove", args=[1]),
        same(404),
    ),
    "casestudies:evidence_levels": (lambda f: reverse("casestudies:evidence_levels"), same(200)),
    "casestudies:submit_sent": (lambda f: reverse("casestudies:submit_sent"), same(302)),
    "casestudies:edit": (
        lambda f: reverse("casestudies:edit", args=[f["token"]("casestudy_edit")]),
        {"anonymous": 410, "submitter": 200, "moderator": 410, "superuser": 410},
    ),
    "casestudies:edit_sent": (lambda f: reverse("casestudies:edit_sent"), same(302)),
    "casestudies:review": (
        lambda f: reverse("casestudies:review", args=[f["token"]("casestudy_review")]),
        {"anonymous": 410, "submitter": 200, "moderator": 410, "superuser": 410},
    ),
    "casestudies:status": (lambda f: reverse("casestudies:status"), same(200)),
    # The same page after every look-up, whether or not it matched.
    "casestudies:status_sent": (lambda f: reverse("casestudies:status_sent"), same(200)),
    "casestudies:detail": (lambda f: f["case_study"].get_absolute_url(), same(200)),
    "directory:home": (lambda f: reverse("directory:home"), same(200)),
    "directory:search": (lambda f: reverse("directory:search") + "?q=housing", same(200)),
    "directory:add": (lambda f: reverse("directory:add"), same(200)),
    "directory:add_sent": (lambda f: reverse("directory:add_sent"), same(200)),
    "directory:manage_request": (lambda f: reverse("directory:manage_request"), same(200)),
    "directory:manage_request_sent": (lambda f: reverse("directory:manage_request_sent"), same(200)),
    "directory:manage": (
        lambda f: reverse("directory:manage", args=[f["token"]("listing_manage")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "directory:manage_edit": (
        lambda f: reverse("directory:manage_edit", args=[f["token"]("listing_manage")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "directory:manage_withdraw": (
        lambda f: reverse("directory:manage_withdraw", args=[f["token"]("listing_manage")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "directory:manage_confirm": (
        lambda f: reverse("directory:manage_confirm", args=[f["token"]("listing_manage")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "directory:confirm": (
        lambda f: reverse("directory:confirm", args=[f["token"]("listing_confirm")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "directory:profile": (lambda f: f["listing"].get_absolute_url(), same(200)),
    "directory:connect": (
        lambda f: reverse("directory:connect", args=[f["private_listing"].reference]),
        same(200),
    ),
    # The sender's link to confirm a request (already relayed here: "already sent").
    "directory:connect_confirm": (
        lambda f: reverse(
            "directory:connect_confirm", args=[f["private_listing"].reference, f["token"]("contact_confirm")]
        ),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    # The professional's link to report a relayed request.
    "directory:report": (
        lambda f: reverse("directory:report", args=[f["token"]("contact_report")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    # Without the mark of a request just sent: back to the form.
    "directory:connect_sent": (
        lambda f: reverse("directory:connect_sent", args=[f["private_listing"].reference]),
        same(302),
    ),
    # "Ask about this example": the same relay, with a case study as its target.
    "casestudies:ask": (lambda f: reverse("casestudies:ask", args=[f["askable_case_study"].slug]), same(200)),
    "casestudies:ask_confirm": (
        lambda f: reverse(
            "casestudies:ask_confirm", args=[f["askable_case_study"].slug, f["token"]("question_confirm")]
        ),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "casestudies:ask_sent": (
        lambda f: reverse("casestudies:ask_sent", args=[f["askable_case_study"].slug]),
        same(302),
    ),
    "alerts:signup": (lambda f: reverse("alerts:signup") + "?region=london&q=tenancy", same(200)),
    "alerts:check_email": (lambda f: reverse("alerts:check_email"), same(200)),
    "alerts:confirm": (
        lambda f: reverse("alerts:confirm", args=[f["token"]("alert_confirm")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "alerts:manage": (
        lambda f: reverse("alerts:manage", args=[f["token"]("alert_manage")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "alerts:unsubscribe": (
        lambda f: reverse("alerts:unsubscribe", args=[f["token"]("alert_unsubscribe")]),
        {"anonymous": 404, "submitter": 200, "moderator": 404, "superuser": 404},
    ),
    "alerts:updates": (lambda f: reverse("alerts:updates") + "?region=london", same(200)),
    "feedback:feedback": (
        lambda f: reverse("feedback:feedback") + "?page=" + f["case_study"].get_absolute_url(),
        same(200),
    ),
}

# Unpublished records behind public URLs: nobody sees them there.
HIDDEN = {
    "casestudies:detail": lambda f: f["hidden_case_study"].get_absolute_url(),
    "directory:profile": lambda f: f["hidden_listing"].get_absolute_url(),
    "directory:connect": lambda f: reverse("directory:connect", args=[f["hidden_listing"].reference]),
    "casestudies:ask": lambda f: reverse("casestudies:ask", args=[f["hidden_askable_case_study"].slug]),
    "casestudies:ask_sent": lambda f: reverse(
        "casestudies:ask_sent", args=[f["hidden_askable_case_study"].slug]
    ),
}

# Admin pages that are not a model's standard views.
ADMIN_SPECIAL = {
    "admin:index": (lambda f: reverse("admin:index"), {"moderator": 200, "superuser": 200}),
    "admin:login": (lambda f: reverse("admin:login"), {"anonymous": 200, "moderator": 302, "superuser": 302}),
    "admin:login_verify": (lambda f: reverse("admin:login_verify"), None),
    "admin:login_enrol": (lambda f: reverse("admin:login_enrol"), None),
    "admin:logout": (lambda f: reverse("admin:logout"), None),
    "admin:password_change": (
        lambda f: reverse("admin:password_change"),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:password_change_done": (
        lambda f: reverse("admin:password_change_done"),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:autocomplete": (lambda f: reverse("admin:autocomplete"), None),
    "admin:jsi18n": (lambda f: reverse("admin:jsi18n"), {"moderator": 200, "superuser": 200}),
    "admin:auth_user_password_change": (
        lambda f: reverse("admin:auth_user_password_change", args=[f["moderator"].pk]),
        {"moderator": 403, "superuser": 200},
    ),
    "admin:view_on_site": (lambda f: reverse("admin:view_on_site", args=[1, 1]), None),
    "admin:app_list": (
        lambda f: reverse("admin:app_list", args=["casestudies"]),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:casestudies_casestudy_dashboard": (
        lambda f: reverse("admin:casestudies_casestudy_dashboard"),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:casestudies_casestudy_decide": (
        lambda f: reverse("admin:casestudies_casestudy_decide", args=[f["hidden_case_study"].pk, "publish"]),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:directory_listing_decide": (
        lambda f: reverse("admin:directory_listing_decide", args=[f["hidden_listing"].pk, "publish"]),
        {"moderator": 200, "superuser": 200},
    ),
    # Claiming and notes take POST only; the preview is for moderators (a
    # member of staff without the permission gets 403: tests/linkup/test_moderation_work.py).
    **{
        f"admin:{prefix}_{view}": (
            (lambda prefix, view, key: lambda f: reverse(f"admin:{prefix}_{view}", args=[f[key].pk]))(
                prefix, view, key
            ),
            {"moderator": status, "superuser": status},
        )
        for prefix, key in (
            ("casestudies_casestudy", "hidden_case_study"),
            ("directory_listing", "hidden_listing"),
        )
        for view, status in (("claim", 405), ("note", 405), ("preview", 200))
    },
    # Problem reports take the same claims and notes (POST only).
    **{
        f"admin:feedback_feedback_{view}": (
            (lambda view: lambda f: reverse(f"admin:feedback_feedback_{view}", args=[f["report"].pk]))(view),
            {"moderator": 405, "superuser": 405},
        )
        for view in ("claim", "note")
    },
    # Requests from a person: superusers and the "Data protection" permission
    # only; export and erase take POST only.
    "admin:linkup_personaldatarequest_find": (
        lambda f: reverse("admin:linkup_personaldatarequest_find"),
        {"moderator": 403, "superuser": 200},
    ),
    "admin:linkup_personaldatarequest_export": (
        lambda f: reverse("admin:linkup_personaldatarequest_export"),
        {"moderator": 403, "superuser": 405},
    ),
    "admin:linkup_personaldatarequest_erase": (
        lambda f: reverse("admin:linkup_personaldatarequest_erase"),
        {"moderator": 403, "superuser": 405},
    ),
    "admin:linkup_personaldatarequest_retention": (
        lambda f: reverse("admin:linkup_personaldatarequest_retention"),
        {"moderator": 403, "superuser": 405},
    ),
    # Answers to "Is this page useful?": whoever may see the reports.
    "admin:feedback_feedback_usefulness": (
        lambda f: reverse("admin:feedback_feedback_usefulness"),
        {"moderator": 200, "superuser": 200},
    ),
    "admin:otp_totp_totpdevice_config": (
        lambda f: reverse("admin:otp_totp_totpdevice_config", args=[f["device"].pk]),
        {"moderator": 403, "superuser": 200},
    ),
    "admin:otp_totp_totpdevice_qrcode": (
        lambda f: reverse("admin:otp_totp_totpdevice_qrcode", args=[f["device"].pk]),
        {"moderator": 403, "superuser": 200},
    ),
}
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")


def standard_admin_urls():
    """admin:<app>_<model>_<view> for every registered model → (model, view)."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}": (model, view)
        for model in admin_site._registry
        for view in ADMIN_VIEWS
    }


def url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name
                elif namespace == "admin":
                    continue  # admin's unnamed redirects and catch-all
                else:
                    yield f"<unnamed {pattern.pattern}>"

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_has_an_entry():
    missing = [
        name
        for name in url_names()
        if name not in PUBLIC and name not in ADMIN_SPECIAL and name not in standard_admin_urls()
    ]
    assert not missing, f"URLs with no entry in the permission matrix: {missing}"


def _path_for(builder, fixtures, role):
    def token(purpose):
        return fixtures["tokens"][purpose] if role == "submitter" else "forged-token"

    return builder({**fixtures, "token": token})


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls(fixtures, name):
    builder, expected = PUBLIC[name]
    for role in ROLES:
        response = fixtures["clients"][role].get(_path_for(builder, fixtures, role))
        assert response.status_code == expected[role], f"{name} as {role}: {response.status_code}"
        assert_security_headers(response, f"{name} as {role}")


def assert_security_headers(response, label):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, label
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, label
    assert "frame-ancestors 'none'" in csp, label
    assert response.headers["X-Frame-Options"] == "DENY", label
    assert response.headers["X-Content-Type-Options"] == "nosniff", label
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", label
    assert "camera=()" in response.headers["Permissions-Policy"], label


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_unpublished_records_are_hidden_from_everybody(fixtures, name):
    path = HIDDEN[name](fixtures)
    for role in ROLES:
        assert fixtures["clients"][role].get(path).status_code == 404, f"{name} as {role}"


def _admin_expected(name, fixtures):
    """Expected status for a standard admin view, from the model admin's own permission checks."""
    model, view = standard_admin_urls()[name]
    model_admin = admin_site._registry[model]
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None or view in {"changelist", "add"}, f"no {model.__name__} to try {name} with"
    path = reverse(name, args=[obj.pk] if view not in {"changelist", "add"} else [])
    expected = {"anonymous": 302}
    for role in ("moderator", "superuser"):
        user = fixtures[role]
        request = _fake_request(user)
        allowed = {
            "changelist": model_admin.has_view_or_change_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_view_or_change_permission(request, obj),
            "history": model_admin.has_view_or_change_permission(request, obj),
            "delete": model_admin.has_delete_permission(request, obj),
        }[view]
        expected[role] = 200 if allowed else 403
    return path, expected


def _fake_request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_admin_urls(fixtures):
    """Every admin URL: anonymous visitors and submitters are sent to sign in;
    staff get what their permissions allow, and nothing more."""
    login = reverse("admin:login")
    failures = []
    for name in url_names():
        if name in standard_admin_urls():
            path, expected = _admin_expected(name, fixtures)
        elif name in ADMIN_SPECIAL:
            builder, staff = ADMIN_SPECIAL[name]
            if staff is None:
                continue  # sign-in steps and helpers: covered by the staff sign-in tests
            path = builder(fixtures)
            expected = {"anonymous": 302, **staff}
        else:
            continue
        expected.setdefault("submitter", expected["anonymous"])
        for role in ROLES:
            response = fixtures["clients"][role].get(path)
            if response.status_code != expected[role]:
                failures.append(
                    f"{name} ({path}) as {role}: {response.status_code}, expected {expected[role]}"
                )
            elif (
                role in {"anonymous", "submitter"}
                and expected[role] == 302
                and not response["Location"].startswith(login)
            ):
                failures.append(f"{name} as {role} redirected to {response['Location']}, not sign-in")
    assert not failures, "\n".join(failures)


def test_moderator_cannot_publish_by_direct_post(fixtures):
    """A member of staff without the moderation permission cannot publish."""
    from django.contrib.auth.models import Group

    clerk = fixtures["moderator"]
    clerk.groups.remove(Group.objects.get(name="Moderators"))
    hidden = fixtures["hidden_case_study"]
    url = reverse("admin:casestudies_casestudy_decide", args=[hidden.pk, "publish"])
    fixtures["clients"]["moderator"].post(url, {"note": "", "acknowledge": "on"})
    hidden.refresh_from_db()
    assert hidden.status == Status.SUBMITTED
    assert not CaseStudy.objects.published().filter(pk=hidden.pk).exists()
    listing = fixtures["hidden_listing"]
    url = reverse("admin:directory_listing_decide", args=[listing.pk, "publish"])
    assert fixtures["clients"]["moderator"].post(url, {"confirm": "yes"}).status_code == 403
    listing.refresh_from_db()
    assert listing.status == Status.SUBMITTED


def test_admin_is_at_the_configured_path():
    assert reverse("admin:index") == f"/{settings.ADMIN_PATH}/"
