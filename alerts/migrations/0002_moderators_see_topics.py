from django.db import migrations


def grant_view(apps, schema_editor):
    from linkup.moderators import grant

    # Moderators see how many people follow each alert topic (never who).
    grant(apps, "alerts", ["view_topic"])


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_subscriptions"),
        ("linkup", "0004_moderators_group"),
    ]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
