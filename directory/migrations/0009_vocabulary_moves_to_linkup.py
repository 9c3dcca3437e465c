from django.db import migrations

# The directory's own vocabulary, its triggers and its refresh function give
# way to the site's one vocabulary (linkup.SearchWord, see linkup/search.py).
DROP_VOCABULARY_SQL = """
DROP TRIGGER IF EXISTS directory_searchword_insert ON directory_listing;
DROP TRIGGER IF EXISTS directory_searchword_update ON directory_listing;
DROP FUNCTION IF EXISTS directory_searchword_add();
DROP FUNCTION IF EXISTS directory_searchword_refresh();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_listing_search"),
        ("linkup", "0012_searchword"),
    ]

    operations = [
        migrations.RunSQL(DROP_VOCABULARY_SQL, migrations.RunSQL.noop),
        migrations.DeleteModel(name="SearchWord"),
    ]
