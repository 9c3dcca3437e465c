"""Nothing reads the plain ``search_text`` column any more: search ranks
``ListingSearch`` and typo matching has the site's one vocabulary."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_vocabulary_moves_to_linkup"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="listing",
            name="search_text",
        ),
    ]
