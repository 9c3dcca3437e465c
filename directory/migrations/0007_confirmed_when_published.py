"""Published listings that were never confirmed (self-listings approved
before a moderator's approval counted as a confirmation) count as confirmed
when they were published, so the freshness reminders reach them too."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_public_agency_id_index"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE directory_listing SET last_confirmed = published_at"
            " WHERE last_confirmed IS NULL AND published_at IS NOT NULL",
            migrations.RunSQL.noop,
        ),
    ]
