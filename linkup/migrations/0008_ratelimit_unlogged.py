"""Rate-limit counters in an unlogged table.

Counts last a minute or an hour and may be lost in a crash without harm.
An unlogged table writes no WAL, so a hit (one upsert per directory page)
commits without waiting for the disk. Counters are always read and written
on the primary (linkup/ratelimit.py uses the default connection), never on a
replica, where unlogged tables are empty."""

from django.db import migrations

TABLE = "linkup_ratelimitcounter"


class Migration(migrations.Migration):
    dependencies = [("linkup", "0007_content_change")]

    operations = [
        migrations.RunSQL(f"ALTER TABLE {TABLE} SET UNLOGGED", f"ALTER TABLE {TABLE} SET LOGGED"),
    ]
