from django.db import migrations


def grant(apps, schema_editor):
    from linkup.moderators import grant

    # Moderators work the queue of problem reports: they see and decide them.
    grant(apps, "feedback", ["view_feedback", "change_feedback"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_page_feedback"), ("linkup", "0004_moderators_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
