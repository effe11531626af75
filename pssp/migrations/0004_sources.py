"""The sources the Performance Analysis Unit reviews per borough (editable later in admin)."""

from django.db import migrations

SOURCES = [
    ("public-complaints", "Public complaints"),
    ("misconduct-cases", "Misconduct cases"),
    ("civil-claims", "Civil claims"),
    ("accident-claims", "Accident claims"),
    ("intelligence-reports", "Intelligence reports"),
]


def load(apps, schema_editor):
    Source = apps.get_model("pssp", "Source")
    for order, (code, name) in enumerate(SOURCES, start=1):
        Source.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    apps.get_model("pssp", "Source").objects.filter(code__in=[c for c, _ in SOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pssp", "0003_tasking_engagement_outcomes")]

    operations = [migrations.RunPython(load, unload)]
