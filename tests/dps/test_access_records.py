"""The access records page: administrators read every record, a planning manager those of the
reports they wrote; restricted content is named only to the cleared; filterable, exportable."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from dps.models import AccessRecord

pytestmark = pytest.mark.django_db

URL = reverse("access-records")


def record(user, what, *, kind=AccessRecord.Kind.DOWNLOAD, owner=None, restricted=False, at=None):
    made = AccessRecord.objects.create(
        user=user, kind=kind, what=what, path="/x/", owner=owner, restricted=restricted
    )
    if at is not None:
        AccessRecord.objects.filter(pk=made.pk).update(at=at)
    return made


@pytest.fixture
def records(staff_user, planner, cleared_planner, committee_member):
    return [
        record(committee_member, "Report 10: PSSP one year on (PDF)", owner=planner),
        record(
            committee_member,
            "Report 11: Covert Kestrel review",
            owner=cleared_planner,
            kind=AccessRecord.Kind.OPEN,
            restricted=True,
        ),
        record(
            staff_user,
            "PSSP delivery log",
            kind=AccessRecord.Kind.EXPORT,
            at=timezone.now() - datetime.timedelta(days=40),
        ),
    ]


def test_an_administrator_reads_every_record_without_restricted_names(
    client_as, administrator, records
):
    page = client_as(administrator).get(URL).content.decode()
    assert "Report 10: PSSP one year on (PDF)" in page
    assert "PSSP delivery log" in page
    assert "Kestrel" not in page
    assert "a restricted record" in page
    assert "Your account has no role yet" not in page


def test_a_planning_manager_reads_those_of_their_own_reports(client_as, planner, records):
    page = client_as(planner).get(URL).content.decode()
    assert "Report 10: PSSP one year on (PDF)" in page
    assert "PSSP delivery log" not in page
    assert "a restricted record" not in page  # another planner's report


def test_a_cleared_author_sees_their_restricted_report_named(client_as, cleared_planner, records):
    page = client_as(cleared_planner).get(URL).content.decode()
    assert "Report 11: Covert Kestrel review" in page
    assert "Report 10" not in page


@pytest.mark.parametrize("persona", ["staff_user", "committee_member", "outsider"])
def test_nobody_else_opens_the_page(request, client_as, persona, records):
    response = client_as(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 403


def test_filters_by_person_kind_and_dates(client_as, administrator, records, staff_user):
    client = client_as(administrator)
    page = client.get(URL, {"person": staff_user.username}).content.decode()
    assert "PSSP delivery log" in page and "Report 10" not in page
    page = client.get(URL, {"kind": "open"}).content.decode()
    assert "a restricted record" in page and "Report 10" not in page
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    page = client.get(URL, {"from_date": since}).content.decode()
    assert "Report 10" in page and "PSSP delivery log" not in page


def test_the_export_is_the_same_rows_and_names_nothing_restricted(
    client_as, administrator, records
):
    response = client_as(administrator).get(URL, {"_export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "Who", "What they did"]
    text = "\n".join(",".join(row) for row in rows)
    assert "Kestrel" not in text
    assert "a restricted record" in text
    assert len(rows) == 1 + len(records)


def test_the_page_reads_a_fixed_number_of_queries(
    client_as, administrator, records, staff_user, django_assert_max_num_queries
):
    client = client_as(administrator)
    client.get(reverse("home"))
    for index in range(30):
        record(staff_user, f"Export {index}", kind=AccessRecord.Kind.EXPORT)
    # Permissions are one read (dps.permissions.AccountsBackend).
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_the_administrators_home_offers_administration_and_access_records(client_as, administrator):
    page = client_as(administrator).get(reverse("home")).content.decode()
    assert "Your account has no role yet" not in page
    assert reverse("access-records") in page
    assert reverse("admin:auth_user_changelist") in page
    assert "Latest changes to accounts" in page
