from django.db import migrations


def grant(apps, schema_editor):
    from linkup.moderators import grant

    grant(
        apps,
        "casestudies",
        ["view_outcomefigure", "add_outcomefigure", "change_outcomefigure", "delete_outcomefigure"],
    )


class Migration(migrations.Migration):
    """Moderators correct a case study's outcome figures in admin."""

    dependencies = [("casestudies", "0011_evidence_reading_indexes")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
