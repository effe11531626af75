"""Writes for committee reports: each validates, then saves. Views only call these."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dps.permissions import can_see_restricted
from reports.blocks import as_json_data, block_is_restricted, compute_block_data
from reports.choices import (
    BLOCKS_NEEDING_PERIOD,
    BLOCKS_NEEDING_THEME,
    JobPurpose,
    ReportStatus,
)
from reports.guard import require_fit_for_audience
from reports.jobs import job_request
from reports.models import Meeting, Report, ReportBlock
from themes.models import Theme

EDITABLE_FIELDS = (
    "meeting",
    "agenda_order",
    "number",
    "report_date",
    "title",
    "by",
    "protective_marking",
    "summary",
    "recommendations",
    "supporting_information",
    "race_equality_impact",
    "financial_implications",
    "background_papers",
    "contact_details",
    "period_start",
    "period_end",
)
# The section texts a new version copies from the one it supersedes.
COPIED_FIELDS = (*EDITABLE_FIELDS, "kind", "theme")


class ReportLocked(PermissionDenied):
    """A published report is never changed: publish a new version that supersedes it."""


def _require_editable(report):
    if not report.is_editable:
        raise ReportLocked(
            "This report is published and cannot be changed. Create a new version instead."
        )


def _require_publisher(user):
    if not user.has_perm("reports.publish_report"):
        raise PermissionDenied("Only a planning manager may approve or publish reports.")


def meeting_for(committee, date):
    meeting, _ = Meeting.objects.get_or_create(committee=committee, date=date)
    return meeting


def four_eyes_required():
    """One person may not both draft and approve a report, unless the office is one person
    (`REPORTS_FOUR_EYES = False`)."""
    return settings.REPORTS_FOUR_EYES


def refresh_restriction(report, *, author):
    """A report embedding restricted content (a restricted theme), or kept for cleared readers
    by a cleared approver, is itself restricted."""
    restricted = (
        report.marked_restricted_by_id is not None
        or bool(report.theme_id and report.theme.restricted)
    ) or any(block_is_restricted(block, author) for block in report.blocks.select_related("theme"))
    if restricted != report.restricted:
        report.restricted = restricted
        report.save(update_fields=["restricted", "updated_at"])
    return report


@transaction.atomic
def report_create(*, user, **fields):
    report = Report(created_by=user, **fields)
    report.full_clean()
    report.save()
    return refresh_restriction(report, author=user)


@transaction.atomic
def report_update(report, *, user, **fields):
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    _require_editable(report)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError({name: "This field cannot be changed here."})
        setattr(report, name, value)
    if report.status == ReportStatus.APPROVED:
        # A changed report needs approving again: what was approved is not what is there now.
        report.status = ReportStatus.DRAFT
        report.approved_by = None
        report.approved_at = None
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def block_add(report, *, user, kind, title="", theme=None, period_start=None, period_end=None):
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    _require_editable(report)
    errors = {}
    if kind in BLOCKS_NEEDING_PERIOD and not (period_start and period_end):
        errors["period_start"] = "Enter the period the figures cover."
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = "The period must end on or after its start."
    if kind in BLOCKS_NEEDING_THEME:
        if theme is None:
            errors["theme"] = "Choose the theme whose milestones to show."
        elif not Theme.objects.visible_to(user).filter(pk=theme.pk).exists():
            errors["theme"] = "Choose a theme you can see."
    if errors:
        raise ValidationError(errors)
    position = (report.blocks.aggregate(last=Max("position"))["last"] or 0) + 1
    block = ReportBlock.objects.create(
        report=report,
        position=position,
        kind=kind,
        title=title,
        theme=theme if kind in BLOCKS_NEEDING_THEME else None,
        period_start=period_start if kind in BLOCKS_NEEDING_PERIOD else None,
        period_end=period_end if kind in BLOCKS_NEEDING_PERIOD else None,
    )
    refresh_restriction(report, author=user)
    return block


@transaction.atomic
def block_remove(block, *, user):
    report = Report.objects.visible_to(user).select_for_update().get(pk=block.report_id)
    _require_editable(report)
    block.delete()
    return refresh_restriction(report, author=user)


@transaction.atomic
def report_approve(report, *, user, for_cleared_readers=False):
    """Draft → approved, by someone other than its author (four eyes), once the guard finds
    nothing restricted in a report the uncleared could read. A cleared approver may instead keep
    the report for cleared readers only (`for_cleared_readers`)."""
    _require_publisher(user)
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Only a draft can be approved.")
    if four_eyes_required() and report.created_by_id == user.pk:
        raise ValidationError(
            "You drafted this report, so someone else must approve it (four eyes)."
        )
    if for_cleared_readers:
        if not can_see_restricted(user):
            raise PermissionDenied("Only a cleared approver may keep a report for cleared readers.")
        report.marked_restricted_by = user
        report.save(update_fields=["marked_restricted_by", "updated_at"])
        refresh_restriction(report, author=user)
    require_fit_for_audience(report, user=user)
    report.status = ReportStatus.APPROVED
    report.approved_by = user
    report.approved_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def report_return_to_draft(report, *, user):
    _require_publisher(user)
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError("Only an approved report can go back to draft.")
    report.status = ReportStatus.DRAFT
    report.approved_by = None
    report.approved_at = None
    report.save()
    return report


def freeze_blocks(report, *, user):
    """Store each block's figures as they are now; the published report renders from them."""
    now = timezone.now()
    for block in report.blocks.select_related("theme").select_for_update(of=("self",)):
        block.frozen_data = as_json_data(compute_block_data(block, user))
        block.frozen_at = now
        block.save(update_fields=["frozen_data", "frozen_at", "updated_at"])


@transaction.atomic
def report_publish(report, *, user):
    """Approved → published: freeze the blocks, then queue the PDF (rendered once, kept)."""
    _require_publisher(user)
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError("Only an approved report can be published.")
    freeze_blocks(report, user=user)
    refresh_restriction(report, author=user)
    # Again on what is frozen now: a live block may have come to name restricted work since.
    require_fit_for_audience(report, user=user)
    report.status = ReportStatus.PUBLISHED
    report.published_by = user
    report.published_at = timezone.now()
    report.save()
    return job_request(report, user=user, purpose=JobPurpose.PUBLICATION)


@transaction.atomic
def report_supersede(report, *, user):
    """A new draft version of a published report; publishing it marks the old one superseded."""
    _require_publisher(user)
    report = Report.objects.visible_to(user).select_for_update().get(pk=report.pk)
    if not report.is_published:
        raise ValidationError("Only a published report can be superseded; edit the draft.")
    if Report.objects.filter(supersedes=report).exists():
        raise ValidationError("A newer version of this report already exists.")
    successor = Report(
        supersedes=report,
        version=report.version + 1,
        created_by=user,
        **{name: getattr(report, name) for name in COPIED_FIELDS},
    )
    successor.save()
    for block in report.blocks.all():
        ReportBlock.objects.create(
            report=successor,
            position=block.position,
            kind=block.kind,
            title=block.title,
            theme=block.theme,
            period_start=block.period_start,
            period_end=block.period_end,
        )
    return refresh_restriction(successor, author=user)
