"""The "Moderators" group: taskforce staff who review what the public submits.

Each app's migrations grant the group exactly the permissions moderation
needs there, through ``grant``, so the group is defined in one place.
"""

MODERATORS_GROUP = "Moderators"


def grant(apps, app_label: str, codenames: list[str]) -> None:
    """Give the Moderators group these permissions (creating what is missing)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations have run; make
    # sure this app's exist now so they can be granted.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)
