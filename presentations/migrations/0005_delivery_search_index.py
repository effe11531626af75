# GIN indexes for the search (dps.search): PostgreSQL only, nothing on SQLite.

from django.db import migrations

from dps.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("presentations", "0004_reference_data_in_dps")]

    operations = [
        AddSearchIndex("delivery", ("presenters", "notes"), "delivery_search"),
    ]
