from django.db import migrations

REFERENCE_MODELS = ["region", "clientgroup", "nationalindicator", "outcome", "agency", "localauthority"]


def create_group(apps, schema_editor):
    from linkup.moderators import grant

    # Moderators read the reference data and may improve its descriptions.
    grant(
        apps, "linkup", [f"{action}_{model}" for model in REFERENCE_MODELS for action in ("view", "change")]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("linkup", "0003_load_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
