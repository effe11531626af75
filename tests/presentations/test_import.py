import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from presentations import imports
from presentations.models import Delivery

pytestmark = pytest.mark.django_db

HEADER = "date,borough,stream,attendees,topics,occasion,presenter,reference"
GOOD = "\n".join(
    [
        HEADER,
        "2007-03-14,Camden,pssp,25,computer-misuse;deaths-in-custody,mandatory-training,PS D,A1",
        "2007-03-15,hammersmith & fulham,non-pssp,12,,Seminar,DS Achebe,A2",
        "2007-03-16,E09000029,civil-actions,9,,supervisors-meeting,Civil Actions Team,A3",
    ]
)


def run(content, name="sessions.csv", dry_run=True):
    return imports.import_file(name, content.encode(), dry_run=dry_run)


def test_a_good_file_imports_every_row_with_products_and_history():
    result = run(GOOD, dry_run=False)
    assert result.errors == []
    assert (result.created, result.updated) == (3, 0)
    camden = Delivery.objects.get(reference="A1")
    assert sorted(camden.products.values_list("code", flat=True)) == [
        "computer-misuse",
        "deaths-in-custody",
    ]
    assert Delivery.objects.get(reference="A2").borough.name == "Hammersmith and Fulham"
    assert Delivery.objects.get(reference="A2").occasion == "seminar"
    civil = Delivery.objects.get(reference="A3")
    assert civil.borough.name == "Sutton"
    assert list(civil.products.values_list("code", flat=True)) == ["civil-actions"]
    assert Delivery.history.filter(history_change_reason="Imported").count() == 3


def test_every_error_names_row_and_column_and_nothing_is_saved():
    bad = "\n".join(
        [
            HEADER,
            "2007-03-14,Camden,pssp,25,,mandatory-training,PS Doyle,B1",
            "14/03/2007,Camdn,lecture,twelve,hacking,party,,B2",
            "2099-01-01,Camden,pssp,-3,,seminar,PS Doyle,B1",
        ]
    )
    result = run(bad, dry_run=False)
    assert not Delivery.objects.exists()
    assert result.errors == [
        'row 3, date: must be a date in the form YYYY-MM-DD, got "14/03/2007"',
        'row 3, borough: is not a known borough or unit name or GSS code, got "Camdn"',
        "row 3, stream: must be one of accident-claims, civil-actions, non-pssp, pssp, "
        'got "lecture"',
        'row 3, attendees: must be a whole number ≥ 0, got "twelve"',
        'row 3, topics: unknown product code "hacking" (known: accident-claims, civil-actions, '
        "complaints-intervention, complaints-misconduct, computer-misuse, deaths-in-custody, "
        "off-duty-behaviour, taylor-reforms)",
        "row 3, occasion: must be one of Mandatory training, Supervisors' meeting, "
        "Management meeting, Seminar, Conference, Other (or left blank if not recorded), "
        'got "party"',
        'row 4, date: The date of the session must be today or in the past. Got "2099-01-01".',
        'row 4, attendees: must be a whole number ≥ 0, got "-3"',
        'row 4, reference: "B1" appears again (first on row 2)',
    ]


def test_a_missing_required_column_is_reported_before_any_row():
    result = run("date,borough,stream,topics,occasion\n2007-01-01,Nowhere,x,,y\n")
    assert result.errors == ["missing column: attendees", "missing column: presenter"]


def test_importing_the_same_file_twice_changes_nothing():
    run(GOOD, dry_run=False)
    history = Delivery.history.count()
    again = run(GOOD, dry_run=False)
    assert Delivery.objects.count() == 3
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Delivery.history.count() == history


def test_a_known_reference_updates_that_session_instead_of_adding_one():
    run(GOOD, dry_run=False)
    changed = GOOD.replace("pssp,25,computer-misuse;deaths-in-custody", "pssp,30,taylor-reforms")
    result = run(changed, dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    camden = Delivery.objects.get(reference="A1")
    assert camden.attendees == 30
    assert list(camden.products.values_list("code", flat=True)) == ["taylor-reforms"]


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_real_dates_and_numbers_imports():
    import datetime

    content = xlsx_bytes(
        [
            HEADER.split(","),
            [datetime.datetime(2007, 5, 1), "Barnet", "pssp", 14, "", "conference", "PS D", "X1"],
        ]
    )
    result = imports.import_file("sessions.xlsx", content, dry_run=False)
    assert result.errors == []
    assert Delivery.objects.get(reference="X1").attendees == 14


def test_xlsx_date_serial_1_is_refused_like_any_date_before_1990():
    # Serial 1 is 31 December 1899 in the 1900 date system: an empty or mistyped date cell.
    content = xlsx_bytes(
        [HEADER.split(","), [1, "Barnet", "pssp", 14, "", "conference", "PS D", "X1"]]
    )
    result = imports.import_file("sessions.xlsx", content, dry_run=False)
    assert result.errors == [
        'row 2, date: The date of the session must be on or after 1 January 1990. Got "1899-12-31".'
    ]
    assert not Delivery.objects.exists()


def test_xlsx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_XLSX_UNPACKED_BYTES", 1000)
    content = xlsx_bytes([HEADER.split(",")])
    with pytest.raises(imports.ImportRejected, match="unpacks to"):
        imports.import_file("big.xlsx", content)


def test_a_file_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(imports.ImportRejected, match="larger than"):
        run(GOOD)


def test_a_csv_neither_utf8_nor_windows_1252_is_refused_with_advice():
    # 0x81 is valid in neither: no Windows-1252 character has that byte.
    with pytest.raises(imports.ImportRejected, match="not text we can read"):
        imports.import_file("s.csv", GOOD.encode() + b"\n2007-03-14,Camden\x81")
    # Excel's "Unicode text" is UTF-16: refused with the same advice, not read as garbage.
    with pytest.raises(imports.ImportRejected, match="not text we can read"):
        imports.import_file("s.csv", GOOD.encode("utf-16"))


def test_command_dry_run_saves_nothing_and_errors_exit_non_zero(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_deliveries", str(good), "--dry-run")
    assert not Delivery.objects.exists()
    call_command("import_deliveries", str(good))
    assert Delivery.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n2007-03-14,Camden,pssp,twelve,,seminar,PS,Z\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_deliveries", str(bad))
    assert 'row 2, attendees: must be a whole number ≥ 0, got "twelve"' in capsys.readouterr().err


def test_upload_page_previews_then_imports_on_confirm(client_as, planner):
    client = client_as(planner)
    url = reverse("presentations:delivery-import")
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", GOOD.encode())})
    assert response.status_code == 200
    assert "Check before importing" in response.content.decode()
    assert not Delivery.objects.exists()
    token = response.context["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Delivery.objects.count() == 3
    assert Delivery.objects.get(reference="A1").entered_by == planner
    # The same preview cannot be confirmed twice.
    client.post(url, {"confirm": "1", "token": token})
    assert Delivery.objects.count() == 3


def test_upload_page_lists_every_error_and_saves_nothing(client_as, planner):
    bad = HEADER + "\n2007-03-14,Camden,pssp,twelve,,seminar,PS,Z\n"
    response = client_as(planner).post(
        reverse("presentations:delivery-import"),
        {"file": SimpleUploadedFile("s.csv", bad.encode())},
    )
    assert response.status_code == 400
    assert "row 2, attendees: must be a whole number ≥ 0, got &quot;twelve&quot;" in (
        response.content.decode()
    )
    assert not Delivery.objects.exists()


def test_staff_cannot_confirm_an_import(client_as, staff_user):
    response = client_as(staff_user).post(
        reverse("presentations:delivery-import"), {"confirm": "1", "token": "x" * 32}
    )
    assert response.status_code == 403


def test_large_imports_keep_the_same_audit_rows_as_small_ones(monkeypatch, planner):
    from presentations import services

    monkeypatch.setattr(services, "FAST_PATH_FROM", 0)
    result = imports.import_file("s.csv", GOOD.encode(), dry_run=False, entered_by=planner)
    assert result.created == 3
    for delivery in Delivery.objects.all():
        created = delivery.history.get()
        assert created.history_type == "+"
        assert created.history_user == planner
        assert created.history_change_reason == "Imported"
        assert (created.attendees, created.borough_id, created.reference) == (
            delivery.attendees,
            delivery.borough_id,
            delivery.reference,
        )
    assert Delivery.objects.get(reference="A1").products.count() == 2


def test_xlsx_reader_matches_openpyxl_cell_for_cell():
    import datetime
    import zipfile

    rows = [
        HEADER.split(","),
        [datetime.date(2007, 6, 1), "Camden", "pssp", 14, None, "seminar", "PS D", "Y1"],
        ["2007-06-02", "Sutton", "non-pssp", 3.0, "taylor-reforms", "other", "PS E", None],
    ]
    content = xlsx_bytes(rows)
    reader = imports._SheetReader(zipfile.ZipFile(io.BytesIO(content)))
    numbers, fast = zip(*reader.rows(), strict=True)
    assert numbers == (1, 2, 3)
    assert fast[0] == tuple(HEADER.split(","))
    assert fast[1][1:] == ("Camden", "pssp", 14, None, "seminar", "PS D", "Y1")
    assert imports.EXCEL_EPOCH + datetime.timedelta(days=fast[1][0]) == datetime.date(2007, 6, 1)
    assert fast[2][:7] == ("2007-06-02", "Sutton", "non-pssp", 3, "taylor-reforms", "other", "PS E")
    result = imports.import_file("s.xlsx", content, dry_run=False)
    assert result.errors == []
    assert Delivery.objects.get(reference="Y1").delivered_on == datetime.date(2007, 6, 1)
