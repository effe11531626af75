"""Links for the milestone versions written by tolerance changes before they recorded them.

A tolerance change re-saves the cached RAG of the theme's milestones in bulk
(`services.theme_refresh_rag`, reason "Tolerance changed"); bulk writes bypass simple-history's
copying of a milestone's links (prerequisites, supporting areas) into the version, so until
`services.record_links_history` those versions were saved linked to nothing, and the programme
as at any later date (`themes.asat.dependencies_as_at`) lost the links of every milestone whose
RAG the change moved.

Such a version changed the RAG alone, so its links are those of the milestone's version before
it: they are copied from there, only into "Tolerance changed" versions with no links of their
own (per link table), oldest first so that a run of tolerance changes fills in turn.
"""

from django.db import migrations

REASON = "Tolerance changed"
# (history link model, the milestone's column, the other end's column)
LINK_TABLES = (
    ("HistoricalMilestone_depends_on", "from_milestone_id", "to_milestone_id"),
    ("HistoricalMilestone_supporting_areas", "milestone_id", "supportingarea_id"),
)


def copy_links_into_tolerance_versions(apps, schema_editor):
    """Write the missing link rows; returns how many (for the tests; migrate ignores it)."""
    versions = apps.get_model("themes", "HistoricalMilestone")
    touched = versions.objects.filter(history_change_reason=REASON).values("id")
    chains = {}
    for history_id, pk, reason in (
        versions.objects.filter(id__in=touched)
        .order_by("history_date", "history_id")
        .values_list("history_id", "id", "history_change_reason")
    ):
        chains.setdefault(pk, []).append((history_id, reason == REASON))
    written = 0
    for model_name, own, other in LINK_TABLES:
        links = apps.get_model("themes", model_name)
        rows_of = {}
        for link_id, history_id, pk, end in links.objects.filter(
            **{f"{own}__in": touched}
        ).values_list("id", "history_id", own, other):
            rows_of.setdefault(history_id, []).append((link_id, pk, end))
        new = []
        for chain in chains.values():
            for (previous, _), (history_id, by_tolerance) in zip(chain, chain[1:], strict=False):
                if by_tolerance and history_id not in rows_of and rows_of.get(previous):
                    rows_of[history_id] = rows_of[previous]
                    new += [
                        links(id=link_id, history_id=history_id, **{own: pk, other: end})
                        for link_id, pk, end in rows_of[previous]
                    ]
        links.objects.bulk_create(new, batch_size=1000)
        written += len(new)
    return written


class Migration(migrations.Migration):
    dependencies = [("themes", "0005_history_latest_version_index")]

    operations = [
        # Nothing to undo: the rows written are those a save would have written.
        migrations.RunPython(
            copy_links_into_tolerance_versions, migrations.RunPython.noop, elidable=True
        )
    ]
