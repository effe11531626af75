"""Issue 14: spreadsheets kept by hand import as they are written.

Occasion and stream by code or by name in any case, occasion and presenter blank on older rows
(kept as "not recorded", shown as such, counted like any other session), real date cells and
Excel serial numbers, numbers stored as numbers, CSV in Windows-1252 or UTF-8 with a BOM,
semicolons or commas, CRLF. Still all or nothing, naming row and column.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from presentations import imports, stats
from presentations.choices import Occasion
from presentations.models import Delivery
from tests.factories import borough, product

pytestmark = pytest.mark.django_db

HEADINGS = ["Date", "Borough", "Stream", "Attendees", "Topics", "Occasion", "Presenter"]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def kept_by_hand(*, camden="Camden"):
    """A year of sessions as a team keeps them: headings capitalised, occasions and streams
    written as they read, a real date cell or a bare serial number, attendees as numbers, and
    the older rows without occasion or presenter."""
    return [
        HEADINGS,
        # Older rows: nobody wrote down the occasion or who presented.
        [datetime.date(2007, 1, 9), "Sutton", "PSSP", 30, None, None, None],
        [datetime.date(2007, 1, 23), "Barnet", "pssp", 14.0, "computer-misuse", "", ""],
        [datetime.datetime(2007, 2, 6, 10, 30), "Bexley", "Non-PSSP", 8, None, None, None],
        # A date typed into a cell formatted as a number: Excel keeps the serial number.
        [(datetime.date(2007, 3, 1) - EXCEL_EPOCH).days, "Sutton", "pssp", 11, None, None, None],
        # Later rows: occasion as its name, in whatever case the typist used.
        [
            datetime.date(2007, 3, 14),
            camden,
            "PSSP",
            25,
            "taylor-reforms",
            "Supervisors meeting",
            "PS Doyle",
        ],  # fmt: skip
        [
            datetime.date(2007, 4, 2),
            "Hammersmith & Fulham",
            "civil actions",
            9,
            None,
            "MANDATORY TRAINING",
            "Civil Actions Team",
        ],  # fmt: skip
        [
            datetime.date(2007, 5, 17),
            "Westminster",
            "Accident claims",
            6,
            None,
            "management-meeting",
            "PC Ali",
        ],  # fmt: skip
        [datetime.date(2007, 6, 5), "Camden", "pssp", 40, None, "  seminar ", "DS Achebe"],
    ]


def workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell in sheet["A"][1:]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "dd/mm/yyyy"  # as a UK Excel shows dates
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_spreadsheet_kept_by_hand_imports_every_row():
    result = imports.import_file("sessions 2007.xlsx", workbook(kept_by_hand()), dry_run=False)
    assert result.errors == []
    assert result.created == 8
    sessions = {d.delivered_on: d for d in Delivery.objects.select_related("borough")}
    older = sessions[datetime.date(2007, 1, 9)]
    assert (older.occasion, older.presenters) == (Occasion.NOT_RECORDED, "")
    assert sessions[datetime.date(2007, 1, 23)].attendees == 14
    assert sessions[datetime.date(2007, 2, 6)].stream == "non-pssp"
    assert sessions[datetime.date(2007, 3, 1)].borough == borough("Sutton")
    later = sessions[datetime.date(2007, 3, 14)]
    assert (later.occasion, later.presenters) == ("supervisors-meeting", "PS Doyle")
    assert sessions[datetime.date(2007, 4, 2)].occasion == "mandatory-training"
    assert sessions[datetime.date(2007, 4, 2)].stream == "civil-actions"
    assert sessions[datetime.date(2007, 5, 17)].stream == "accident-claims"
    assert sessions[datetime.date(2007, 6, 5)].occasion == "seminar"
    assert Delivery.history.filter(history_change_reason="Imported").count() == 8


def test_the_same_spreadsheet_with_one_unknown_borough_imports_nothing_and_names_the_cell():
    content = workbook(kept_by_hand(camden="Camdon"))
    result = imports.import_file("sessions 2007.xlsx", content, dry_run=False)
    assert result.errors == [
        'row 6, borough: is not a known borough or unit name or GSS code, got "Camdon"'
    ]
    assert result.created == 0
    assert not Delivery.objects.exists()
    assert not Delivery.history.exists()


def test_rows_left_out_by_excel_keep_the_numbers_the_spreadsheet_shows():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append([datetime.date(2007, 1, 9), "Sutton", "pssp", 3, None, None, None])
    # Row 3 is left empty (Excel writes nothing for it); the mistake is on row 4.
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"] = "2007-01-10", "Sutton", "lecture", 3
    out = io.BytesIO()
    book.save(out)
    result = imports.import_file("s.xlsx", out.getvalue())
    assert result.errors == [
        "row 4, stream: must be one of accident-claims, civil-actions, non-pssp, pssp, "
        'got "lecture"'
    ]


def test_not_recorded_sessions_count_in_the_statistics_like_any_other():
    """The same sessions, with and without occasion and presenter, give the same tables."""
    recorded = [row[:5] + ["seminar", "PS Doyle"] for row in kept_by_hand()[1:]]
    imports.import_file("a.xlsx", workbook([HEADINGS, *recorded]), dry_run=False)
    start, end = datetime.date(2007, 1, 1), datetime.date(2007, 12, 31)
    with_occasions = stats.figures_only(stats.monthly_tables(Delivery.objects.all(), start, end))
    Delivery.objects.all().delete()
    imports.import_file("b.xlsx", workbook(kept_by_hand()), dry_run=False)
    assert Delivery.objects.filter(occasion=Occasion.NOT_RECORDED).count() == 4
    without = stats.figures_only(stats.monthly_tables(Delivery.objects.all(), start, end))
    assert without == with_occasions
    presentations = without["presentations"]
    # Every PSSP and non-PSSP session of the year is in the total: 30+14+8+11+25+40.
    assert presentations[-1]["total_people"] == 128


def test_the_log_and_the_detail_page_say_not_recorded(client_as, planner):
    imports.import_file("s.xlsx", workbook(kept_by_hand()), dry_run=False)
    client = client_as(planner)
    older = Delivery.objects.get(delivered_on=datetime.date(2007, 1, 9))
    page = client.get(reverse("presentations:delivery-detail", args=[older.pk])).content.decode()
    assert page.count("Not recorded") == 2  # occasion and presenters
    log = client.get(reverse("presentations:delivery-list")).content.decode()
    assert log.count("Not recorded") >= 4


def test_the_logging_form_still_requires_occasion_and_presenter(client_as, staff_user):
    data = {
        "delivered_on": "2007-03-14",
        "borough": borough("Camden").pk,
        "stream": "pssp",
        "attendees": "25",
        "products": [product("computer-misuse").pk],
        "occasion": Occasion.NOT_RECORDED,
        "presenters": "",
        "staff_associations_briefed": "yes",
        "feedback_very_satisfied": "0",
        "feedback_satisfied": "0",
        "feedback_neutral": "0",
        "feedback_dissatisfied": "0",
        "feedback_very_dissatisfied": "0",
    }
    response = client_as(staff_user).post(reverse("presentations:delivery-create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"occasion", "presenters"}
    assert Occasion.NOT_RECORDED not in dict(form.fields["occasion"].choices)
    assert not Delivery.objects.exists()


CSV_ROWS = [
    "Date;Borough;Stream;Attendees;Topics;Occasion;Presenter;Reference",
    '2007-03-14;Camden;PSSP;25;"computer-misuse;taylor-reforms";Supervisors\' meeting;'
    "PS Zoë O’Brien;W1",
    "2007-03-15;Hammersmith & Fulham;non-pssp;12;;;;W2",
]


def test_a_windows_1252_csv_with_semicolons_and_crlf_imports():
    content = "\r\n".join(CSV_ROWS).encode("cp1252") + b"\r\n"
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the test file really is not UTF-8
    result = imports.import_file("sessions.csv", content, dry_run=False)
    assert result.errors == []
    first = Delivery.objects.get(reference="W1")
    assert first.presenters == "PS Zoë O’Brien"
    assert first.occasion == "supervisors-meeting"
    assert sorted(first.products.values_list("code", flat=True)) == [
        "computer-misuse",
        "taylor-reforms",
    ]
    second = Delivery.objects.get(reference="W2")
    assert (second.occasion, second.presenters) == (Occasion.NOT_RECORDED, "")


def test_a_utf8_csv_with_a_byte_order_mark_imports():
    rows = [
        row.replace(";", ",").replace('"computer-misuse,taylor-reforms"', "") for row in CSV_ROWS
    ]
    content = "\ufeff".encode() + "\r\n".join(rows).encode("utf-8")
    result = imports.import_file("sessions.csv", content, dry_run=False)
    assert result.errors == []
    assert Delivery.objects.get(reference="W1").presenters == "PS Zoë O’Brien"
    assert Delivery.objects.count() == 2


def test_a_csv_error_names_row_and_column_and_saves_nothing():
    rows = [*CSV_ROWS, "2007-03-16;Camden;pssp;many;;seminar;PS D;W3"]
    result = imports.import_file("s.csv", "\r\n".join(rows).encode("cp1252"), dry_run=False)
    assert result.errors == ['row 4, attendees: must be a whole number ≥ 0, got "many"']
    assert not Delivery.objects.exists()


def test_the_preview_shows_not_recorded(client_as, planner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.xlsx", workbook(kept_by_hand()))
    response = client_as(planner).post(reverse("presentations:delivery-import"), {"file": upload})
    assert response.status_code == 200
    first = response.context["preview"][0]
    assert (first["occasion"], first["presenters"]) == ("Not recorded", "Not recorded")
    assert not Delivery.objects.exists()
