from django.db import migrations


def grant(apps, schema_editor):
    from linkup.moderators import grant

    grant(
        apps,
        "casestudies",
        [
            "moderate_casestudy",
            "view_casestudy",
            "change_casestudy",
            "view_casestudylink",
            "add_casestudylink",
            "change_casestudylink",
            "delete_casestudylink",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0001_initial"), ("linkup", "0004_moderators_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
