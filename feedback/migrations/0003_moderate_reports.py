from django.db import migrations


def grant(apps, schema_editor):
    from linkup.moderators import grant

    # Moderators claim, note and decide problem reports as they do records.
    grant(apps, "feedback", ["moderate_feedback"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_moderators")]

    operations = [
        migrations.AlterModelOptions(
            name="feedback",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("moderate_feedback", "Can work problem reports (claim, note, decide)")],
                "verbose_name": "page feedback",
                "verbose_name_plural": "page feedback and problem reports",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
