"""The 32 London boroughs (from data/london_boroughs.csv), other units, and the PSSP menu."""

import csv
from pathlib import Path

from django.db import migrations

from dps.migration_history import record_creation

BOROUGHS_CSV = Path(__file__).resolve().parents[2] / "data" / "london_boroughs.csv"

OTHER_UNITS = [
    "New Scotland Yard",
    "Directorate of Professional Standards",
    "Territorial Policing OCU",
    "Specialist Operations OCU",
    "Central Operations OCU",
    "Hendon Police College",
]

# Stable codes: imports, statistics and reports refer to products by these.
PRODUCTS = [
    ("computer-misuse", "Information leakage and computer misuse"),
    ("accident-claims", "Accident claims"),
    ("civil-actions", "Civil actions"),
    ("complaints-misconduct", "Local management of public complaints and misconduct"),
    ("complaints-intervention", "Complaints Intervention Scheme overview"),
    ("deaths-in-custody", "Preventing deaths in custody"),
    ("off-duty-behaviour", "Off-duty behaviour and personal responsibility"),
    ("taylor-reforms", "Taylor reforms: new police misconduct procedures"),
]


def load(apps, schema_editor):
    Borough = apps.get_model("pssp", "Borough")
    Product = apps.get_model("pssp", "Product")
    with BOROUGHS_CSV.open(newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            Borough.objects.update_or_create(
                gss_code=row["gss_code"], defaults={"name": row["name"], "kind": "borough"}
            )
    for name in OTHER_UNITS:
        Borough.objects.update_or_create(name=name, defaults={"kind": "unit"})
    for order, (code, name) in enumerate(PRODUCTS, start=1):
        Product.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    record_creation(apps, "pssp", "Borough")
    record_creation(apps, "pssp", "Product")


def unload(apps, schema_editor):
    apps.get_model("pssp", "Product").objects.filter(code__in=[c for c, _ in PRODUCTS]).delete()
    apps.get_model("pssp", "Borough").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pssp", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
