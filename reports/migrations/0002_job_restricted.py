from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

HELP = "Rendered as a cleared user sees the report: only cleared users may read it."


def restrict_proofs_of_cleared_requesters(apps, schema_editor):
    """Proofs already rendered for a cleared user may show restricted rows: the cleared only.

    The same rule as reports.jobs.job_is_restricted, read from the stored grants (a user who
    holds the clearance directly, through a group, or as a superuser).
    """
    Permission = apps.get_model("auth", "Permission")
    ReportJob = apps.get_model("reports", "ReportJob")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    clearance = Permission.objects.filter(
        content_type__app_label="themes", codename="view_restricted_theme"
    )
    cleared = User.objects.filter(
        Q(is_superuser=True)
        | Q(user_permissions__in=clearance)
        | Q(groups__permissions__in=clearance)
    )
    ReportJob.objects.filter(purpose="proof", requested_by__in=cleared).update(restricted=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_committees_reports_jobs"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreportjob",
            name="restricted",
            field=models.BooleanField(default=False, editable=False, help_text=HELP),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="restricted",
            field=models.BooleanField(default=False, editable=False, help_text=HELP),
        ),
        migrations.RunPython(restrict_proofs_of_cleared_requesters, migrations.RunPython.noop),
    ]
