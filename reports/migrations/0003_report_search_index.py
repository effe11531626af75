# GIN indexes for the search (dps.search): PostgreSQL only, nothing on SQLite.

from django.db import migrations

from dps.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_job_restricted")]

    operations = [
        AddSearchIndex(
            "report", ("title", "number", "summary", "recommendations"), "report_search"
        ),
    ]
