# GIN indexes for the search (dps.search): PostgreSQL only, nothing on SQLite.

from django.db import migrations

from dps.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("pssp", "0005_reference_data_moved_to_dps")]

    operations = [
        AddSearchIndex("event", ("title", "description", "venue", "partners"), "event_search"),
        AddSearchIndex(
            "outcome", ("title", "description", "evidence", "evidence_reference"), "outcome_search"
        ),
    ]
