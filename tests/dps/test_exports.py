import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from dps.exports import neutralise
from dps.models import AccessRecord, Borough

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_cells_a_spreadsheet_would_run_are_made_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["＝HYPERLINK(1)", "＋1", "－2", "＠SUM(A1)"])
def test_full_width_formula_signs_are_made_text_too(value):
    assert neutralise(value) == "'" + value


def test_plain_values_and_numbers_are_left_alone():
    assert neutralise("Camden") == "Camden"
    assert neutralise(-5) == -5


def test_csv_export_holds_exactly_the_filtered_rows_and_is_recorded(client_as, staff_user):
    response = client_as(staff_user).get(
        reverse("pssp:borough-list"), {"q": "ham", "_export": "csv"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="boroughs.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    expected = Borough.objects.filter(name__icontains="ham").count()
    assert len(rows) == expected > 3
    assert all("ham" in row["Name"].lower() for row in rows)
    record = AccessRecord.objects.get()
    assert (record.user, record.kind, record.rows) == (staff_user, "export", expected)


def test_xlsx_export_neutralises_formula_text(client_as, staff_user):
    Borough.objects.create(name="=cmd|' /C calc'!A0", kind="unit")
    response = client_as(staff_user).get(reverse("pssp:borough-list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in names
    assert not any(str(name).startswith("=") for name in names)


def test_export_is_refused_to_a_user_who_may_not_see_the_list(client_as, committee_member):
    response = client_as(committee_member).get(reverse("pssp:borough-list"), {"_export": "csv"})
    assert response.status_code == 403
    assert not AccessRecord.objects.exists()
