"""Give rows created by a data migration their first audit-trail entry.

Data migrations use historical models, which simple_history does not track, so without this a
reference record's first change would have nothing to be compared against.
"""

from django.utils import timezone


def record_creation(apps, app_label, model_name):
    model = apps.get_model(app_label, model_name)
    historical = apps.get_model(app_label, f"Historical{model_name}")
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname in {f.attname for f in historical._meta.concrete_fields}
    ]
    already = set(historical.objects.values_list("id", flat=True).distinct())
    now = timezone.now()
    historical.objects.bulk_create(
        historical(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason="Loaded as reference data",
        )
        for row in model.objects.exclude(id__in=already)
    )
