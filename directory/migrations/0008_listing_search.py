"""The narrow rows a keyword search ranks (``ListingSearch``), written by
triggers (the ORM cannot declare one) on every write to a listing, its client
groups, or an agency's or client group's name, so that no write path can leave
them behind. Each row's vector is the listing's own with the names of its
agency and client groups added (weight C, as the organisation and places)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

LISTING_SEARCH_SQL = """
-- existing_only: refresh only the rows there are (a listing being deleted has none left).
CREATE OR REPLACE FUNCTION directory_listingsearch_refresh(ids bigint[], existing_only boolean DEFAULT false)
RETURNS void LANGUAGE sql AS $fn$
    INSERT INTO directory_listingsearch (listing_id, search_vector, sort_name, last_confirmed, public)
    SELECT l.id,
        l.search_vector || setweight(to_tsvector('directory_search', concat_ws(' ', a.name, (
            SELECT string_agg(concat_ws(' ', g.name, g.short_name), ' ')
            FROM directory_listing_client_groups t JOIN linkup_clientgroup g ON g.id = t.clientgroup_id
            WHERE t.listing_id = l.id
        ))), 'C'),
        l.full_name, l.last_confirmed, l.status = 'published' AND l.stale_hidden_at IS NULL
    FROM directory_listing l JOIN linkup_agency a ON a.id = l.agency_id
    WHERE l.id = ANY(ids) AND NOT (
        existing_only AND NOT EXISTS (SELECT 1 FROM directory_listingsearch s WHERE s.listing_id = l.id)
    )
    ON CONFLICT (listing_id) DO UPDATE SET search_vector = EXCLUDED.search_vector,
        sort_name = EXCLUDED.sort_name, last_confirmed = EXCLUDED.last_confirmed, public = EXCLUDED.public
    -- A write that changes none of these (a reminder sent, say) leaves the row as it is.
    WHERE (directory_listingsearch.search_vector, directory_listingsearch.sort_name,
           directory_listingsearch.last_confirmed, directory_listingsearch.public)
        IS DISTINCT FROM (EXCLUDED.search_vector, EXCLUDED.sort_name, EXCLUDED.last_confirmed, EXCLUDED.public);
$fn$;

CREATE OR REPLACE FUNCTION directory_listingsearch_listing() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM directory_listingsearch_refresh(ARRAY(SELECT id FROM written));
    RETURN NULL;
END
$fn$;

-- A new listing's row is made when its client groups are written (every
-- listing has one: the form, the admin and the import ask for it), so an
-- import writes it once, not once for the listing and again for its groups.
-- existing_only when links are removed: a listing being deleted has no row left.
CREATE OR REPLACE FUNCTION directory_listingsearch_client_groups() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM directory_listingsearch_refresh(ARRAY(SELECT DISTINCT listing_id FROM written), TG_OP = 'DELETE');
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION directory_listingsearch_agency() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM directory_listingsearch_refresh(ARRAY(
        SELECT l.id FROM directory_listing l JOIN written w ON w.id = l.agency_id
    ), true);
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION directory_listingsearch_client_group() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM directory_listingsearch_refresh(ARRAY(
        SELECT DISTINCT t.listing_id FROM directory_listing_client_groups t JOIN written w ON w.id = t.clientgroup_id
    ), true);
    RETURN NULL;
END
$fn$;

CREATE TRIGGER directory_listingsearch_update AFTER UPDATE ON directory_listing
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_listingsearch_listing();
CREATE TRIGGER directory_listingsearch_groups_insert AFTER INSERT ON directory_listing_client_groups
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_listingsearch_client_groups();
CREATE TRIGGER directory_listingsearch_groups_delete AFTER DELETE ON directory_listing_client_groups
    REFERENCING OLD TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_listingsearch_client_groups();
CREATE TRIGGER directory_listingsearch_agency_update AFTER UPDATE ON linkup_agency
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_listingsearch_agency();
CREATE TRIGGER directory_listingsearch_client_group_update AFTER UPDATE ON linkup_clientgroup
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_listingsearch_client_group();

SELECT directory_listingsearch_refresh(ARRAY(SELECT id FROM directory_listing));
"""

DROP_LISTING_SEARCH_SQL = """
DROP TRIGGER IF EXISTS directory_listingsearch_update ON directory_listing;
DROP TRIGGER IF EXISTS directory_listingsearch_groups_insert ON directory_listing_client_groups;
DROP TRIGGER IF EXISTS directory_listingsearch_groups_delete ON directory_listing_client_groups;
DROP TRIGGER IF EXISTS directory_listingsearch_agency_update ON linkup_agency;
DROP TRIGGER IF EXISTS directory_listingsearch_client_group_update ON linkup_clientgroup;
DROP FUNCTION IF EXISTS directory_listingsearch_listing();
DROP FUNCTION IF EXISTS directory_listingsearch_client_groups();
DROP FUNCTION IF EXISTS directory_listingsearch_agency();
DROP FUNCTION IF EXISTS directory_listingsearch_client_group();
DROP FUNCTION IF EXISTS directory_listingsearch_refresh(bigint[], boolean);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_confirmed_when_published"),
        ("linkup", "0007_content_change"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListingSearch",
            fields=[
                (
                    "listing",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_row",
                        serialize=False,
                        to="directory.listing",
                    ),
                ),
                ("search_vector", django.contrib.postgres.search.SearchVectorField()),
                ("sort_name", models.CharField(max_length=120)),
                ("last_confirmed", models.DateTimeField(null=True)),
                ("public", models.BooleanField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name="listing",
            name="listing_search_gin",
        ),
        migrations.AddIndex(
            model_name="listingsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("public", True)),
                fields=["search_vector"],
                name="listingsearch_public_gin",
            ),
        ),
        migrations.RunSQL(LISTING_SEARCH_SQL, DROP_LISTING_SEARCH_SQL),
    ]
