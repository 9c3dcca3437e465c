"""The content version: statement-level triggers on every table whose rows a
public page shows add a row to linkup_contentchange; the sum of its weights
only grows, and grows whenever a transaction that changed public content
commits (see linkup/pagecache.py). No row is ever locked by it: writers
only insert, so it adds no waits or deadlocks between writers. Every 200th
row folds the rows before it into one, so the sum stays cheap to read."""

from django.db import migrations, models

# Every table of public content when this migration was written; a test
# checks that each model of these apps is either covered or deliberately
# left out (linkup.pagecache.NOT_CONTENT).
CONTENT_TABLES = [
    "linkup_region",
    "linkup_outcome",
    "linkup_clientgroup",
    "linkup_nationalindicator",
    "linkup_nationalindicator_outcomes",
    "linkup_agency",
    "linkup_localauthority",
    "linkup_localauthority_neighbours",
    "casestudies_casestudy",
    "casestudies_casestudy_client_groups",
    "casestudies_casestudy_agencies",
    "casestudies_casestudy_outcomes",
    "casestudies_casestudylink",
    "directory_listing",
    "directory_listing_areas",
    "directory_listing_client_groups",
    "directory_searchword",
    "toolkit_section",
    "toolkit_page",
    "toolkit_need",
    "toolkit_agencysuggestion",
]

FUNCTION = """
CREATE FUNCTION linkup_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added bigint;
BEGIN
    INSERT INTO linkup_contentchange (weight) VALUES (1) RETURNING id INTO added;
    IF added % 200 = 0 THEN
        -- Fold the rows before this one into a single row of the same total.
        WITH folded AS (
            DELETE FROM linkup_contentchange WHERE id < added RETURNING weight
        )
        INSERT INTO linkup_contentchange (weight)
        SELECT sum(weight) FROM folded HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGER = (
    "CREATE TRIGGER linkup_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON {table} FOR EACH STATEMENT EXECUTE FUNCTION linkup_content_changed();"
)
DROP_TRIGGER = "DROP TRIGGER IF EXISTS linkup_content_changed ON {table};"


class Migration(migrations.Migration):
    dependencies = [
        ("linkup", "0006_auditevent"),
        ("casestudies", "0004_browse_indexes"),
        ("directory", "0005_public_indexes_bulk_import"),
        ("toolkit", "0002_load_content"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("weight", models.BigIntegerField(default=1)),
            ],
            options={"verbose_name": "content change"},
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION linkup_content_changed();"),
        migrations.RunSQL(
            [TRIGGER.format(table=table) for table in CONTENT_TABLES],
            [DROP_TRIGGER.format(table=table) for table in CONTENT_TABLES],
        ),
    ]
