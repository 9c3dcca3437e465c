from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LinkupConfig(AppConfig):
    name = "linkup"
    verbose_name = "Reference data"

    def ready(self):
        # The audit trail's model and receivers, and its read-only admin.
        from linkup import audit, audit_admin, pagecache, personal_data_admin, staff_sessions  # noqa: F401

        audit.connect_signals()
        staff_sessions.connect_signals()
        # Any write to public content retires the cached pages.
        pagecache.connect_signals()


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django admin, with two-factor sign-in (see linkup/staff_auth.py)."""

    default = False  # "linkup" in INSTALLED_APPS means LinkupConfig
    default_site = "linkup.staff_auth.StaffAdminSite"
