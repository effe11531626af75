"""An index for reading the programme as at a date (themes/asat.py): each record's latest
version by a date is found by walking its versions newest first, so the history tables are
indexed by (record id, history date, version id)."""

from django.db import migrations

TABLES = ("historicalmilestone", "historicalrisk", "historicalissue")


def index_name(table):
    return f"themes_{table}_latest"


class Migration(migrations.Migration):
    dependencies = [("themes", "0004_search_indexes")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {index_name(table)} ON themes_{table} "
            "(id, history_date DESC, history_id DESC)",
            f"DROP INDEX {index_name(table)}",
        )
        for table in TABLES
    ]
