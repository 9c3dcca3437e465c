import django.contrib.postgres.indexes
from django.db import migrations, models

# The words of public listings, as the "simple" configuration splits them
# (already unaccented and lower case), three to forty letters, starting
# with a letter.
WORDS_OF = "tsvector_to_array(to_tsvector('simple', {row}search_text || ' ' || directory_unaccent(lower({row}expertise))))"
PUBLIC = "{row}status = 'published' AND {row}stale_hidden_at IS NULL"
KEEP_WORD = "length({word}) BETWEEN 3 AND 40 AND {word} ~ '^[a-z]'"

VOCABULARY_SQL = f"""
CREATE OR REPLACE FUNCTION directory_searchword_refresh() RETURNS void LANGUAGE sql AS $fn$
    DELETE FROM directory_searchword;
    INSERT INTO directory_searchword (word, ndoc)
    SELECT word, ndoc FROM ts_stat(
        $q$SELECT to_tsvector('simple', search_text || ' ' || directory_unaccent(lower(expertise)))
           FROM directory_listing WHERE {PUBLIC.format(row="")}$q$
    )
    WHERE {KEEP_WORD.format(word="word")};
$fn$;

CREATE OR REPLACE FUNCTION directory_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO directory_searchword (word, ndoc)
    SELECT w, count(*)
    FROM written, unnest({WORDS_OF.format(row="written.")}) AS w
    WHERE {PUBLIC.format(row="written.")} AND {KEEP_WORD.format(word="w")}
    GROUP BY w
    ON CONFLICT (word) DO NOTHING;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER directory_searchword_insert AFTER INSERT ON directory_listing
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_searchword_add();
CREATE TRIGGER directory_searchword_update AFTER UPDATE ON directory_listing
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION directory_searchword_add();

SELECT directory_searchword_refresh();
"""  # noqa: S608 - built from the constants above

DROP_VOCABULARY_SQL = """
DROP TRIGGER IF EXISTS directory_searchword_insert ON directory_listing;
DROP TRIGGER IF EXISTS directory_searchword_update ON directory_listing;
DROP FUNCTION IF EXISTS directory_searchword_add();
DROP FUNCTION IF EXISTS directory_searchword_refresh();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_moderators"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False)),
                ("ndoc", models.PositiveIntegerField(default=1)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        fields=["word"], name="searchword_word_trgm", opclasses=["gist_trgm_ops"]
                    )
                ],
            },
        ),
        migrations.RunSQL(VOCABULARY_SQL, DROP_VOCABULARY_SQL),
    ]
