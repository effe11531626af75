# The search's words of each session (dps/search.py): a tsvector column kept by a trigger and a
# GIN index over it, on PostgreSQL; on SQLite the column stays empty and nothing else is made.

import django.contrib.postgres.search
from django.db import migrations

from dps.search import RunSQLOnPostgres, vector_trigger_sql

FORWARD, BACKWARD = vector_trigger_sql(
    "presentations_delivery", "search_vector", ("presenters", "notes"), "delivery_search"
)


class Migration(migrations.Migration):
    dependencies = [("presentations", "0006_month_figures")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        RunSQLOnPostgres(FORWARD, BACKWARD),
    ]
