# GIN indexes for the search (dps.search): PostgreSQL only, nothing on SQLite.

from django.db import migrations

from dps.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("themes", "0003_deliverables_milestones_raid")]

    operations = [
        AddSearchIndex("milestone", ("title", "description"), "milestone_search"),
        AddSearchIndex("deliverable", ("title", "description"), "deliverable_search"),
        AddSearchIndex("risk", ("title", "cause", "event", "effect", "response"), "risk_search"),
        AddSearchIndex("issue", ("title", "description", "resolution"), "issue_search"),
        AddSearchIndex("decision", ("title", "description", "decided_by"), "decision_search"),
        AddSearchIndex("decisionaction", ("description",), "decisionaction_search"),
    ]
