import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from pssp.choices import EventKind, EventStatus, MeetingKind
from pssp.models import (
    ActionPlan,
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    PlanAction,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)
from tests.factories import borough

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name="report.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


class SourceReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceReview

    borough = factory.LazyFunction(borough)
    period_start = datetime.date(2007, 1, 1)
    period_end = datetime.date(2007, 6, 30)
    reviewed_on = datetime.date(2007, 7, 10)
    analyst = "PAU analyst"


class TaskingMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskingMeeting

    held_on = datetime.date(2007, 8, 15)
    chair = "Head of prevention"
    attendees = "PSSP team leader, PAU manager"


class TaskingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskingDecision
        skip_postgeneration_save = True

    meeting = factory.SubFactory(TaskingMeetingFactory)
    decision = factory.Sequence(lambda n: f"Decision {n}")
    resource = "PAU analyst"
    owner = "PAU manager"
    due_on = datetime.date(2007, 9, 30)

    @factory.post_generation
    def boroughs(self, create, names, **kwargs):
        if create and names:
            for name in names:
                self.boroughs.add(borough(name))


class BoroughReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoroughReport

    borough = factory.LazyFunction(borough)
    title = factory.Sequence(lambda n: f"In-depth report {n}")
    commissioned_on = datetime.date(2007, 8, 15)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    report = factory.SubFactory(BoroughReportFactory)


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(ActionPlanFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = "Borough Superintendent"
    due_on = datetime.date(2008, 3, 31)


class EngagementMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementMeeting

    borough = factory.LazyFunction(borough)
    kind = MeetingKind.COMMAND_TEAM
    met_on = datetime.date(2007, 5, 1)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    title = factory.Sequence(lambda n: f"Outcome {n}")
    description = "What PSSP found."
    occurred_on = datetime.date(2007, 10, 1)
    evidence = "Police Notice issued."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Seminar {n}")
    kind = EventKind.SEMINAR
    status = EventStatus.HELD
    starts_on = datetime.date(2007, 3, 22)
    venue = "New Scotland Yard"
