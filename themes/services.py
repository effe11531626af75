"""Writes for the strategic programme: each validates, then saves, and keeps the audit trail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from dps.records import edit_conflict
from themes.models import Milestone, MilestoneReforecast, Theme
from themes.rag import rag_expression, slippage_expression

# Fields a planning manager edits on a milestone (baseline_date only when creating it).
MILESTONE_FIELDS = (
    "deliverable",
    "title",
    "description",
    "owner",
    "forecast_date",
    "actual_date",
    "status",
)


def milestone_create(*, user, supporting_areas=(), depends_on=(), **fields):
    milestone = Milestone(**fields)
    if not milestone.forecast_date:
        milestone.forecast_date = milestone.baseline_date
    milestone.full_clean()
    milestone.refresh_rag()
    with transaction.atomic():
        milestone.save()
        milestone.supporting_areas.set(supporting_areas)
        _link_prerequisites(milestone, depends_on, user=user)
    return milestone


def _link_prerequisites(milestone, chosen, *, user):
    """Make `chosen` the prerequisites this user can see, keeping the links they cannot see:
    their form never offered them, so leaving them out is not a choice to remove them."""
    links = Milestone.depends_on.through.objects.filter(from_milestone=milestone)
    current = set(links.values_list("to_milestone_id", flat=True))
    visible = set()
    if current:  # a new milestone has no links yet, hidden or not
        visible = set(
            Milestone.objects.visible_to(user).filter(pk__in=current).values_list("pk", flat=True)
        )
    wanted = {prerequisite.pk for prerequisite in chosen if prerequisite.pk != milestone.pk}
    wanted |= current - visible
    milestone.depends_on.remove(*(current - wanted))
    milestone.depends_on.add(*(wanted - current))


def milestone_update(
    *,
    milestone_id,
    user,
    version,
    reason="",
    supporting_areas=None,
    depends_on=None,
    **fields,
):
    """Apply an edit made from `version`. Refuses (EditConflict) if anyone saved since then.

    A changed forecast date needs a reason and is recorded as a re-forecast. The baseline is
    not editable here: it is set once, when the milestone is agreed.
    """
    if "baseline_date" in fields:
        raise ValidationError({"baseline_date": "The baseline cannot be changed once agreed"})
    with transaction.atomic():
        milestone = (
            Milestone.objects.visible_to(user)
            .select_for_update(of=("self",))
            .select_related("deliverable__theme__programme")
            .get(pk=milestone_id)
        )
        if conflict := edit_conflict(milestone, version):
            raise conflict
        previous_forecast = milestone.forecast_date
        for name, value in fields.items():
            setattr(milestone, name, value)
        reforecast = milestone.forecast_date != previous_forecast
        if reforecast and not reason.strip():
            raise ValidationError({"reason": "Enter the reason the forecast date has changed"})
        milestone.full_clean()
        milestone.refresh_rag()
        milestone.version += 1
        if reforecast:
            milestone._change_reason = f"Re-forecast: {reason.strip()}"
        milestone.save()
        if reforecast:
            MilestoneReforecast.objects.create(
                milestone=milestone,
                previous_forecast=previous_forecast,
                new_forecast=milestone.forecast_date,
                reason=reason.strip(),
                made_by=user,
                made_at=timezone.now(),
            )
        if supporting_areas is not None:
            milestone.supporting_areas.set(supporting_areas)
        if depends_on is not None:
            _link_prerequisites(milestone, depends_on, user=user)
    return milestone


# The cached RAG is derived data: whoever changed the tolerance, every milestone it governs follows.
RAG_CACHE = "the RAG cache follows the tolerance for every milestone"

TOLERANCE_FIELDS = ("time_tolerance_days", "cost_tolerance_percent", "scope_tolerance")


@transaction.atomic
def theme_tolerances_update(*, theme, time_tolerance_days, cost_tolerance_percent, scope_tolerance):
    """Set a theme's tolerances and recompute its milestones' RAG; returns how many changed.

    The admin hands in the theme with its other edited fields already set: they are saved in
    the same write, so the audit trail shows one change.
    """
    theme.time_tolerance_days = time_tolerance_days
    theme.cost_tolerance_percent = cost_tolerance_percent
    theme.scope_tolerance = scope_tolerance
    theme.full_clean()
    theme.save()
    return theme_refresh_rag(theme)


def milestone_admin_save(*, milestone):
    """A milestone edited in the admin: its RAG follows its status, and open pages see a new
    version (so an edit begun before this one is refused, not silently applied over it)."""
    milestone.full_clean()
    milestone.refresh_rag()
    if milestone.pk:
        milestone.version += 1
    milestone.save()
    return milestone


def theme_refresh_rag(theme):
    """Recompute the cached RAG of a theme's milestones after its tolerance changed."""
    theme = Theme.objects.every_row(RAG_CACHE).select_related("programme").get(pk=theme.pk)
    tolerance = theme.effective_time_tolerance_days
    # Only the milestones whose cached values the rule's database form disagrees with are
    # loaded (the same rule as `refresh_rag`, tests/themes/test_rag_sql.py): a tolerance change
    # on a theme of thousands of milestones rewrites the few it moves.
    stale = (
        Milestone.objects.every_row(RAG_CACHE)
        .filter(deliverable__theme=theme)
        .alias(rag_now=rag_expression(tolerance), slippage_now=slippage_expression())
        .filter(
            ~Q(rag=F("rag_now"))
            | ~Q(slippage_days=F("slippage_now"))
            | Q(slippage_days__isnull=True)
            | Q(slippage_now__isnull=True)
        )
    )
    changed = []
    for milestone in stale:
        before = (milestone.rag, milestone.slippage_days)
        milestone.refresh_rag(tolerance)
        if (milestone.rag, milestone.slippage_days) != before:
            changed.append(milestone)
    if changed:
        mark = Milestone.history.aggregate(last=Max("history_id"))["last"] or 0
        bulk_update_with_history(
            changed, Milestone, ["rag", "slippage_days"], default_change_reason="Tolerance changed"
        )
        record_links_history(mark, [milestone.pk for milestone in changed])
    return len(changed)


def record_links_history(history_mark, milestone_ids):
    """The links (prerequisites, supporting areas) each milestone version written after
    `history_mark` was saved with, as save() records them (simple-history's m2m_fields): bulk
    writes bypass it, and without these rows the programme as at a later date
    (themes.asat.dependencies_as_at) would read those milestones as linked to nothing."""
    versions = Milestone.history.model
    written = list(
        versions.objects.filter(history_id__gt=history_mark, id__in=milestone_ids).values_list(
            "history_id", "id"
        )
    )
    for field in Milestone._meta.many_to_many:
        links = getattr(versions, field.name).model
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        current = {}
        for link_id, pk, other in through.objects.filter(
            **{f"{source}_id__in": milestone_ids}
        ).values_list("id", f"{source}_id", f"{target}_id"):
            current.setdefault(pk, []).append((link_id, other))
        links.objects.bulk_create(
            [
                links(
                    id=link_id,
                    history_id=history_id,
                    **{f"{source}_id": pk, f"{target}_id": other},
                )
                for history_id, pk in written
                for link_id, other in current.get(pk, [])
            ],
            batch_size=1000,
        )


def programme_refresh_rag(programme):
    return sum(theme_refresh_rag(theme) for theme in programme.themes.every_row(RAG_CACHE))


def forecast_before_prerequisite(milestone, prerequisite):
    """Whether `milestone`, not yet reached, is forecast before `prerequisite` (which it depends
    on) is reached or forecast to be: the dependency warning's rule, today and as at a date."""
    finish = prerequisite.actual_date or prerequisite.forecast_date
    return not milestone.is_complete and milestone.forecast_date < finish


def dependency_warnings(milestones):
    """(milestone, prerequisite) pairs where the milestone is forecast before its prerequisite.

    `milestones` should have `depends_on` prefetched.
    """
    return [
        (milestone, prerequisite)
        for milestone in milestones
        if not milestone.is_complete
        for prerequisite in milestone.depends_on.all()
        if forecast_before_prerequisite(milestone, prerequisite)
    ]
