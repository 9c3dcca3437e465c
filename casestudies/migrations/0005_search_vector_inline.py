"""Keep each case study's search vector in its row.

A keyword search ranks every match (``ts_rank`` reads the vector). A vector
is about 2 kB and compresses badly, so by default Postgres moves it out of
the row into the TOAST table, and ranking then looks each one up there: for
a common word (a third of the rows) that was most of the search's time.
With storage MAIN Postgres moves the long sections out of the row first and
keeps the vector in it, unless the row would not fit in a page at all.

Storage applies to rows as they are written, so the existing rows are
written again: setting the title to itself has Postgres work the vector
(a generated column) out anew. Nothing else changes: not ``updated_at``,
and no signal is sent.
"""

from django.db import migrations

TABLE = "casestudies_casestudy"


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0004_browse_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN",
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
        migrations.RunSQL(f"UPDATE {TABLE} SET title = title", migrations.RunSQL.noop),  # noqa: S608
    ]
