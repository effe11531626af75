from django.contrib import admin

from dps.admin import VisibleModelAdmin
from dps.permissions import can_see_restricted
from themes.models import (
    Benefit,
    Deliverable,
    Issue,
    Milestone,
    Programme,
    Risk,
    SupportingArea,
    Theme,
    ThemeFinance,
)
from themes.services import (
    TOLERANCE_FIELDS,
    milestone_admin_save,
    programme_refresh_rag,
    theme_tolerances_update,
)


@admin.register(Programme)
class ProgrammeAdmin(VisibleModelAdmin):
    list_display = (
        "name",
        "start_date",
        "end_date",
        "default_time_tolerance_days",
        "reporting_date",
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The default tolerance feeds every milestone's cached RAG.
        programme_refresh_rag(obj)


@admin.register(Theme)
class ThemeAdmin(VisibleModelAdmin):
    list_display = ("name", "programme", "lead", "restricted")
    list_filter = ("programme", "restricted")

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The same write as the tolerances page: the milestones' RAG follows the new tolerance.
        obj._history_user = request.user
        theme_tolerances_update(
            theme=obj, **{name: getattr(obj, name) for name in TOLERANCE_FIELDS}
        )


@admin.register(SupportingArea)
class SupportingAreaAdmin(VisibleModelAdmin):
    list_display = ("name", "programme", "order")
    filter_horizontal = ("themes",)

    def get_exclude(self, request, obj=None):
        # The theme links name every theme, restricted ones too. Only someone who may see every
        # theme edits them here: a list filtered to what the user may see would, once saved,
        # unlink the themes left out.
        if not (request.user.has_perm("themes.view_theme") and can_see_restricted(request.user)):
            return (*(super().get_exclude(request, obj) or ()), "themes")
        return super().get_exclude(request, obj)


@admin.register(Deliverable)
class DeliverableAdmin(VisibleModelAdmin):
    list_display = ("title", "theme", "order")
    list_filter = ("theme",)


@admin.register(Milestone)
class MilestoneAdmin(VisibleModelAdmin):
    list_display = ("title", "deliverable", "baseline_date", "forecast_date", "status", "rag")
    list_filter = ("status", "rag")
    search_fields = ("title",)
    # Edits go through the milestone pages, which keep re-forecast reasons and check versions.
    readonly_fields = ("baseline_date", "forecast_date", "rag", "slippage_days", "version")

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        milestone_admin_save(milestone=obj)


@admin.register(Risk)
class RiskAdmin(VisibleModelAdmin):
    list_display = ("title", "theme", "status", "review_date")
    list_filter = ("status", "theme")


@admin.register(Issue)
class IssueAdmin(VisibleModelAdmin):
    list_display = ("title", "theme", "issue_type", "status")


@admin.register(Benefit)
class BenefitAdmin(VisibleModelAdmin):
    list_display = ("title", "theme", "expected_date")


@admin.register(ThemeFinance)
class ThemeFinanceAdmin(VisibleModelAdmin):
    list_display = ("theme", "financial_year", "budget", "forecast", "actual")
