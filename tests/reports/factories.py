import datetime

import factory

from dps.permissions import can_see_restricted
from dps.roles import PLANNING_MANAGER
from reports import services
from reports.models import Committee, Meeting, Report
from tests.conftest import _user


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("name",)

    name = "Professional Standards & Complaints Committee"
    short_name = "PSC"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        django_get_or_create = ("committee", "date")

    committee = factory.SubFactory(CommitteeFactory)
    date = datetime.date(2008, 1, 17)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft report. Move it through the workflow with reports.services, as the app does."""

    class Meta:
        model = Report

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    report_date = datetime.date(2008, 1, 17)
    title = factory.Sequence(lambda n: f"Update on progress {n}")
    by = "Assistant Commissioner Operational Services on behalf of the Commissioner"
    summary = "This report sets out the progress made."
    recommendations = "That Members note the progress made."
    supporting_information = "1. The programme was launched in November 2006."
    contact_details = "Superintendent Paul McGregor, MPS"


def second_pair_of_eyes(user):
    """Another planning manager with `user`'s clearance: the approver of `user`'s drafts."""
    username = f"{user.username}.approver"
    existing = type(user).objects.filter(username=username).first()
    return existing or _user(username, PLANNING_MANAGER, cleared=can_see_restricted(user))


def publish(report, user, *, approver=None):
    """Approve (as someone other than its author, four eyes) and publish as the app does;
    returns the publication job."""
    if approver is None:
        approver = second_pair_of_eyes(user) if report.created_by_id == user.pk else user
    services.report_approve(report, user=approver)
    return services.report_publish(report, user=user)
