from django.db import migrations


def grant(apps, schema_editor):
    from linkup.moderators import grant

    grant(
        apps,
        "directory",
        ["moderate_listing", "view_listing", "change_listing", "view_contactrequest"],
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("linkup", "0004_moderators_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
