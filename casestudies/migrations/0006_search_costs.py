"""Search the costs and resources section too, with the other sections.

PostgreSQL cannot change a stored generated column's expression in place
(before version 17), so the search vector is dropped and added again with
the new one, its index built afresh, and the rows written once more so the
vector is kept in the row (see 0005).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TABLE = "casestudies_casestudy"


def search_vector():
    search = django.contrib.postgres.search
    return models.GeneratedField(
        db_persist=True,
        expression=search.CombinedSearchVector(
            search.CombinedSearchVector(
                search.CombinedSearchVector(
                    search.SearchVector("title", config="english", weight="A"),
                    "||",
                    search.SearchVector("summary", config="english", weight="B"),
                    search.SearchConfig("english"),
                ),
                "||",
                search.SearchVector("organisations", config="english", weight="B"),
                search.SearchConfig("english"),
            ),
            "||",
            search.SearchVector(
                "challenge", "approach", "results", "lessons", "costs", config="english", weight="C"
            ),
            search.SearchConfig("english"),
        ),
        output_field=search.SearchVectorField(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0005_search_vector_inline"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="casestudy", name="casestudy_search_gin"),
        migrations.RemoveField(model_name="casestudy", name="search_vector"),
        migrations.AddField(model_name="casestudy", name="search_vector", field=search_vector()),
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(f"UPDATE {TABLE} SET title = title", migrations.RunSQL.noop),  # noqa: S608
        # The rewrite queues the foreign keys' deferred checks, and an index
        # cannot be built on a table with checks pending: run them now.
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="casestudy",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="casestudy_search_gin"
            ),
        ),
    ]
