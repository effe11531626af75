from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("presentations", "0008_backfill_imported_product_history")]

    operations = [
        # Months stored before this have no borough coverage: is_current is then false and the
        # month is counted again (both parts together) the next time it is read.
        migrations.AddField(
            model_name="monthfigures",
            name="boroughs",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
