# GIN indexes for the search (dps.search): PostgreSQL only, nothing on SQLite.

from django.db import migrations

from dps.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_report_marked_restricted_code_words")]

    operations = [
        AddSearchIndex(
            "report", ("title", "number", "summary", "recommendations"), "report_search"
        ),
    ]
