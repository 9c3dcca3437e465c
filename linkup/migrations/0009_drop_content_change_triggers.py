"""Public content changes are now recorded by the application, in the
writer's transaction (``linkup.pagecache.content_changed()``); the triggers
and function of 0007 go, the table they wrote stays. Reversible: the
reverse puts 0007's triggers back as they were."""

import importlib

from django.db import migrations

created = importlib.import_module("linkup.migrations.0007_content_change")


class Migration(migrations.Migration):
    dependencies = [("linkup", "0008_ratelimit_unlogged")]

    operations = [
        migrations.RunSQL(
            [created.DROP_TRIGGER.format(table=table) for table in created.CONTENT_TABLES],
            [created.TRIGGER.format(table=table) for table in created.CONTENT_TABLES],
        ),
        migrations.RunSQL("DROP FUNCTION linkup_content_changed();", created.FUNCTION),
    ]
