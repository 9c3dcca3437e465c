"""Requests from a person, in admin: find everything held about an e-mail
address, export it, erase it; and applying the retention schedule now,
besides its daily run. For superusers and staff with the "Data protection"
permission.

The address travels in POST bodies only, never in a URL, so it stays out of
access logs and browser history.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.debug import sensitive_post_parameters

from linkup.admin import SuperuserReadOnlyAdmin
from linkup.jobs import scheduled_job_queue
from linkup.personal_data import (
    PersonalDataRequest,
    personal_data_erase,
    personal_data_export,
    personal_data_find,
)

PERMISSION = "linkup.handle_personal_data"


class PersonalDataForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="Capital letters are ignored, and for Gmail so are dots and anything after a +.",
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(SuperuserReadOnlyAdmin):
    """The list of requests handled (from the audit trail), and the tools."""

    list_display = ["created_at", "kind", "username", "detail"]
    list_filter = ["kind"]
    fields = ["created_at", "kind", "user", "username", "detail"]
    readonly_fields = fields
    change_list_template = "admin/linkup/personal_data/change_list.html"
    view_permission = PERMISSION

    def get_urls(self):
        def view(function):
            # Kept out of any error report, should one ever be sent.
            return self.admin_site.admin_view(sensitive_post_parameters("email")(function))

        return [
            path("find/", view(self.find_view), name="linkup_personaldatarequest_find"),
            path("export/", view(self.export_view), name="linkup_personaldatarequest_export"),
            path("erase/", view(self.erase_view), name="linkup_personaldatarequest_erase"),
            path(
                "apply-retention/",
                self.admin_site.admin_view(self.retention_view),
                name="linkup_personaldatarequest_retention",
            ),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _render(self, request, template, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "find_url": reverse("admin:linkup_personaldatarequest_find"),
            **context,
        }
        return TemplateResponse(request, f"admin/linkup/personal_data/{template}", context)

    @staticmethod
    def _actor(request):
        return {"actor": request.user, "actor_label": request.user.get_username()}

    def find_view(self, request):
        self._check(request)
        if request.method not in {"GET", "POST"}:
            return HttpResponseNotAllowed(["GET", "POST"])
        form = PersonalDataForm(request.POST or None)
        email = form.cleaned_data["email"] if form.is_valid() else None
        found = personal_data_find(email=email) if email else None
        return self._render(
            request,
            "find.html",
            {"title": "Find a person's data", "form": form, "found": found, "email": email},
        )

    def _posted_form(self, request):
        """The valid find form from a POST, or else the response to give."""
        self._check(request)
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        form = PersonalDataForm(request.POST)
        if not form.is_valid():
            return None, self._render(request, "find.html", {"title": "Find a person's data", "form": form})
        return form, None

    def export_view(self, request):
        form, refusal = self._posted_form(request)
        if refusal is not None:
            return refusal
        found = personal_data_export(email=form.cleaned_data["email"], **self._actor(request))
        as_text = request.POST.get("format") == "text"
        response = HttpResponse(
            found.as_text() if as_text else found.as_json(),
            content_type="text/plain; charset=utf-8" if as_text else "application/json",
        )
        name = "personal-data-summary.txt" if as_text else "personal-data.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(self, request):
        form, refusal = self._posted_form(request)
        if refusal is not None:
            return refusal
        email = form.cleaned_data["email"]
        if request.POST.get("confirm") != "yes":
            found = personal_data_find(email=email)
            return self._render(
                request,
                "erase.html",
                {"title": "Erase a person's data", "form": form, "found": found, "email": email},
            )
        total = personal_data_erase(email=email, **self._actor(request))
        messages.success(
            request,
            f"{total} record{'s' if total != 1 else ''} erased or anonymised. The request is recorded.",
        )
        return HttpResponseRedirect(reverse("admin:linkup_personaldatarequest_find"))

    def retention_view(self, request):
        """Queue the retention job now: on the job queue, as every day, since
        a large backlog takes longer than a request may."""
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if scheduled_job_queue(name="apply_retention"):
            messages.success(
                request,
                "The retention schedule will be applied in a moment. "
                "The audit trail records how many records it removed or anonymised.",
            )
        else:
            messages.warning(request, "The retention schedule is already waiting to be applied.")
        return HttpResponseRedirect(reverse("admin:linkup_personaldatarequest_changelist"))
