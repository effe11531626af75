"""Writes for tasking and engagement: each validates, then saves, then returns the record.

The commissioned-report workflow lives here: every transition names the states it may start from
and refuses any other with a message saying what has to happen first.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pssp.choices import BoroughReportStatus
from pssp.models import Event, EventAudience, SourceFigure, SourceReview
from pssp.uploads import safe_display_name, validate_report_document


class TransitionError(ValidationError):
    """A workflow step asked for from a state it cannot start from."""


# target status → the statuses it may be reached from
ALLOWED_TRANSITIONS = {
    BoroughReportStatus.DRAFTED: (BoroughReportStatus.COMMISSIONED,),
    BoroughReportStatus.DISCUSSED: (BoroughReportStatus.DRAFTED,),
    BoroughReportStatus.DISTRIBUTED: (BoroughReportStatus.DISCUSSED,),
    BoroughReportStatus.CLOSED: (BoroughReportStatus.DISTRIBUTED,),
}
STEP_NAMES = {
    BoroughReportStatus.DRAFTED: "mark it drafted",
    BoroughReportStatus.DISCUSSED: "record the discussion with the Borough Command Team",
    BoroughReportStatus.DISTRIBUTED: "record its distribution",
    BoroughReportStatus.CLOSED: "close it",
}


def next_steps(report):
    """The transitions open to this report now (target statuses, in workflow order)."""
    return [target for target, sources in ALLOWED_TRANSITIONS.items() if report.status in sources]


def _check_transition(report, target):
    allowed_from = ALLOWED_TRANSITIONS[target]
    if report.status not in allowed_from:
        current = BoroughReportStatus(report.status).label
        needed = " or ".join(BoroughReportStatus(status).label for status in allowed_from)
        raise TransitionError(
            f"Cannot {STEP_NAMES[target]}: the report is '{current}', and only a report that is "
            f"'{needed}' can move to '{BoroughReportStatus(target).label}'.",
            code="illegal_transition",
        )


def _not_before(day, earlier, field, what):
    if earlier and day < earlier:
        raise ValidationError({field: f"The date cannot be before {what} ({earlier:%d %B %Y})."})


def report_attach_document(*, report, uploaded):
    """Check the upload by content and size, then store it under a generated name."""
    if report.status == BoroughReportStatus.CLOSED:
        raise TransitionError("The report is closed: its document can no longer be replaced.")
    kind = validate_report_document(uploaded)
    original = safe_display_name(uploaded.name)
    # The stored name comes from `report_document_path`: random, with the checked extension.
    report.document.save(f"document.{kind}", uploaded, save=False)
    report.document_kind = kind
    report.document_original_name = original
    report.document_uploaded_at = timezone.now()
    report.save()
    return report


def report_mark_drafted(*, report, on):
    _check_transition(report, BoroughReportStatus.DRAFTED)
    if not report.document:
        raise TransitionError(
            "Cannot mark it drafted: attach the draft document first.", code="no_document"
        )
    _not_before(on, report.commissioned_on, "on", "the commissioning date")
    report.status = BoroughReportStatus.DRAFTED
    report.drafted_on = on
    report.save()
    return report


def report_mark_discussed(*, report, on, notes=""):
    _check_transition(report, BoroughReportStatus.DISCUSSED)
    _not_before(on, report.drafted_on, "on", "the draft")
    report.status = BoroughReportStatus.DISCUSSED
    report.discussed_on = on
    report.discussion_notes = notes
    report.save()
    return report


def report_mark_distributed(
    *, report, mpa_link_member, mpa_link_member_sent_on, area_commander, area_commander_sent_on
):
    _check_transition(report, BoroughReportStatus.DISTRIBUTED)
    errors = {}
    if not mpa_link_member:
        errors["mpa_link_member"] = "Name the MPA link member who received a copy."
    if not area_commander:
        errors["area_commander"] = "Name the Area Commander who received a copy."
    for field, day in (
        ("mpa_link_member_sent_on", mpa_link_member_sent_on),
        ("area_commander_sent_on", area_commander_sent_on),
    ):
        if not day:
            errors[field] = "Give the date the copy was sent."
        elif report.discussed_on and day < report.discussed_on:
            errors[field] = (
                "Copies go out after the discussion with the Borough Command Team "
                f"({report.discussed_on:%d %B %Y})."
            )
    if errors:
        raise ValidationError(errors)
    report.status = BoroughReportStatus.DISTRIBUTED
    report.mpa_link_member = mpa_link_member
    report.mpa_link_member_sent_on = mpa_link_member_sent_on
    report.area_commander = area_commander
    report.area_commander_sent_on = area_commander_sent_on
    report.save()
    return report


def report_close(*, report, on, note=""):
    _check_transition(report, BoroughReportStatus.CLOSED)
    latest = max(report.mpa_link_member_sent_on, report.area_commander_sent_on)
    _not_before(on, latest, "on", "the distribution")
    report.status = BoroughReportStatus.CLOSED
    report.closed_on = on
    report.closing_note = note
    report.save()
    return report


TRANSITIONS = {
    BoroughReportStatus.DRAFTED: report_mark_drafted,
    BoroughReportStatus.DISCUSSED: report_mark_discussed,
    BoroughReportStatus.DISTRIBUTED: report_mark_distributed,
    BoroughReportStatus.CLOSED: report_close,
}


@transaction.atomic
def source_review_save(*, review=None, figures, **values):
    """Create (no `review`) or update a source review and its figures, all or nothing."""
    review = review or SourceReview()
    for name, value in values.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()
    review_save_figures(review=review, figures=figures)
    return review


@transaction.atomic
def event_save(*, event=None, audiences, **values):
    """Create (no `event`) or update a seminar or conference and its audience, all or nothing."""
    event = event or Event()
    for name, value in values.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    event_save_audiences(event=event, audiences=audiences)
    return event


@transaction.atomic
def review_save_figures(*, review, figures):
    """Set the review's figure per source: `figures` maps Source → count (None removes it)."""
    for source, count in figures.items():
        if count is None:
            for figure in SourceFigure.objects.filter(review=review, source=source):
                figure.delete()  # one by one, so the audit trail records each removal
            continue
        figure, created = SourceFigure.objects.get_or_create(
            review=review, source=source, defaults={"count": count}
        )
        if not created and figure.count != count:
            figure.count = count
            figure.save()
    return review


@transaction.atomic
def event_save_audiences(*, event, audiences):
    """Set the event's audience numbers: `audiences` maps category → number (None or 0 removes)."""
    for category, number in audiences.items():
        if not number:
            for audience in EventAudience.objects.filter(event=event, category=category):
                audience.delete()
            continue
        audience, created = EventAudience.objects.get_or_create(
            event=event, category=category, defaults={"number": number}
        )
        if not created and audience.number != number:
            audience.number = number
            audience.save()
    return event
