"""Hostile imports get a clear refusal, save nothing, and cannot exhaust a worker's memory.

Each workbook is built by hand with zipfile, so the test controls exactly what is broken.
"""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from presentations import imports
from presentations.models import Delivery

pytestmark = pytest.mark.django_db

HEADER = "date,borough,stream,attendees,topics,occasion,presenter"
COLUMNS = HEADER.split(",")
GOOD_ROW = ["2007-03-14", "Camden", "pssp", "25", "", "seminar", "PS Dunn"]

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sessions" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def inline(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows_xml, dimension="A1:G2"):
    return (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )


def row(number, cells):
    letters = "ABCDEFG"
    return (
        f'<row r="{number}">'
        + "".join(inline(f"{letters[i]}{number}", value) for i, value in enumerate(cells))
        + "</row>"
    )


def workbook(sheet_xml, *, extra=(), compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def good_workbook():
    return workbook(sheet(row(1, COLUMNS) + row(2, GOOD_ROW)))


def test_the_hand_built_workbook_is_read_as_a_real_one():
    result = imports.import_file("s.xlsx", good_workbook())
    assert result.errors == []
    assert result.total == 1


def test_three_cells_at_column_zzzzz_are_refused_without_exhausting_memory():
    wide = "".join(f'<row r="{n}"><c r="ZZZZZ{n}"><v>1</v></c></row>' for n in (1, 2, 3))
    content = workbook(sheet(wide, dimension="A1:ZZZZZ3"))
    assert len(content) < 2_000
    tracemalloc.start()
    try:
        with pytest.raises(imports.ImportRejected, match="wider than 50 columns"):
            imports.import_file("wide.xlsx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 150 * 1024 * 1024


def test_a_cell_just_past_the_column_cap_is_refused():
    rows = row(1, COLUMNS) + '<row r="2"><c r="AY2"><v>1</v></c></row>'
    with pytest.raises(imports.ImportRejected, match="wider than 50 columns"):
        imports.import_file("wide.xlsx", workbook(sheet(rows)))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cell without a column", workbook(sheet('<row r="1"><c r="12"><v>1</v></c></row>'))),
        (
            "shared string out of range",
            workbook(
                sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'),
                extra=[
                    (
                        "xl/sharedStrings.xml",
                        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                        'spreadsheetml/2006/main"><si><t>date</t></si></sst>',
                    )
                ],
            ),
        ),
        ("not xml at all", workbook("this is not a worksheet")),
        ("a zip with no workbook in it", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_a_damaged_workbook_is_not_a_workbook_we_can_read(name, content):
    with pytest.raises(imports.ImportRejected, match="not an .xlsx workbook we can read"):
        imports.import_file("broken.xlsx", content)


def _patch_member(content, member, mutate):
    """Rewrite the local and central headers of one member (compression method or size)."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(member)
    name = member.encode()
    local = info.header_offset
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    mutate(data, local, central)
    return bytes(data)


def test_an_unknown_compression_method_is_refused():
    def method_99(data, local, central):
        data[local + 8 : local + 10] = (99).to_bytes(2, "little")
        data[central + 10 : central + 12] = (99).to_bytes(2, "little")

    content = _patch_member(good_workbook(), "xl/worksheets/sheet1.xml", method_99)
    with pytest.raises(imports.ImportRejected, match="not an .xlsx workbook we can read"):
        imports.import_file("odd.xlsx", content)


def test_a_member_whose_size_is_understated_is_refused():
    def understate(data, local, central):
        data[local + 22 : local + 26] = (10).to_bytes(4, "little")
        data[central + 24 : central + 28] = (10).to_bytes(4, "little")

    content = _patch_member(good_workbook(), "xl/worksheets/sheet1.xml", understate)
    with pytest.raises(imports.ImportRejected, match="not an .xlsx workbook we can read"):
        imports.import_file("liar.xlsx", content)


def csv_with(**changes):
    cells = dict(zip(COLUMNS, GOOD_ROW, strict=True)) | changes
    return (HEADER + "\n" + ",".join(cells[column] for column in COLUMNS)).encode()


@pytest.mark.parametrize(
    ("attendees", "shown"), [("²", "²"), ("-3", "-3"), ("1.5", "1.5"), ("١٢", "١٢")]
)
def test_attendees_must_be_plain_ascii_digits(attendees, shown):
    result = imports.import_file("s.csv", csv_with(attendees=attendees))
    assert result.errors == [f'row 2, attendees: must be a whole number ≥ 0, got "{shown}"']


@pytest.mark.parametrize(
    ("attendees", "shown"),
    [(str(10**12), str(10**12)), ("2147483648", "2147483648"), ("9" * 5000, "9" * 40)],
)
def test_attendees_must_fit_the_column(attendees, shown):
    result = imports.import_file("s.csv", csv_with(attendees=attendees))
    assert result.errors == [f'row 2, attendees: must be 2,147,483,647 or fewer, got "{shown}"']


def test_attendees_at_the_column_limit_are_read():
    assert imports.import_file("s.csv", csv_with(attendees="2147483647")).errors == []


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31"])
def test_a_session_before_1990_is_refused(day):
    result = imports.import_file("s.csv", csv_with(date=day))
    assert result.errors == [
        f'row 2, date: The date of the session must be on or after 1 January 1990. Got "{day}".'
    ]


@pytest.mark.parametrize("day", ["2008-W01-1", "20080101", "2008-001", "２００８-０１-０１"])
def test_only_dates_written_as_the_form_takes_them_are_read(day):
    result = imports.import_file("s.csv", csv_with(date=day))
    assert result.errors == [f'row 2, date: must be a date in the form YYYY-MM-DD, got "{day}"']


def test_a_nul_is_refused_naming_row_and_column():
    result = imports.import_file("s.csv", csv_with(presenter="PS\x00Dunn"))
    assert result.errors == ["row 2, presenter: contains a NUL character; retype the cell"]


def test_command_reports_an_unreadable_workbook_without_a_traceback(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook(sheet('<row r="1"><c r="12"><v>1</v></c></row>')))
    with pytest.raises(CommandError, match="not an .xlsx workbook we can read"):
        call_command("import_deliveries", str(path))
    assert not Delivery.objects.exists()


def test_upload_page_refuses_a_wide_workbook_on_the_form(client_as, planner):
    wide = "".join(f'<row r="{n}"><c r="ZZZZZ{n}"><v>1</v></c></row>' for n in (1, 2, 3))
    upload = SimpleUploadedFile("wide.xlsx", workbook(sheet(wide)))
    response = client_as(planner).post(reverse("presentations:delivery-import"), {"file": upload})
    assert response.status_code == 200
    assert "wider than 50 columns" in response.content.decode()
    assert not Delivery.objects.exists()


def test_confirm_refuses_a_file_that_became_unreadable_and_saves_nothing(
    client_as, planner, monkeypatch
):
    client = client_as(planner)
    upload = SimpleUploadedFile("s.csv", csv_with())
    preview = client.post(reverse("presentations:delivery-import"), {"file": upload})
    token = preview.context["token"]

    def refuse(*args, **kwargs):
        raise imports.ImportRejected("The file is not an .xlsx workbook we can read.")

    monkeypatch.setattr(imports, "import_file", refuse)
    response = client.post(
        reverse("presentations:delivery-import"), {"confirm": "1", "token": token}
    )
    assert response.status_code == 400
    assert "not an .xlsx workbook we can read" in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_cell_longer_than_excel_allows_is_refused_before_it_is_held():
    # 150 MB of one letter zips to ~150 kB; read whole, it once took the reader to 288 MB.
    content = workbook(sheet(row(1, COLUMNS) + row(2, ["x" * 40_000])))
    with pytest.raises(imports.ImportRejected, match="more than 32,767 characters"):
        imports.import_file("long.xlsx", content)


def test_a_long_shared_string_is_refused_too():
    strings = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><si><t>{"y" * 40_000}</t></si></sst>'
    )
    content = workbook(
        sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        extra=[("xl/sharedStrings.xml", strings)],
    )
    with pytest.raises(imports.ImportRejected, match="more than 32,767 characters"):
        imports.import_file("long.xlsx", content)


def test_a_shared_string_table_past_its_cap_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_SHARED_STRINGS_BYTES", 100)
    strings = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{"<si><t>a</t></si>" * 20}</sst>'
    )
    content = workbook(sheet(row(1, COLUMNS)), extra=[("xl/sharedStrings.xml", strings)])
    with pytest.raises(imports.ImportRejected, match="text takes more than"):
        imports.import_file("many.xlsx", content)


def test_a_sheet_declaring_a_dtd_is_refused():
    entity = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with pytest.raises(imports.ImportRejected, match="declares a DTD"):
        imports.import_file("dtd.xlsx", workbook(entity))


def test_a_csv_line_past_any_real_row_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_LINE_CHARACTERS", 1000)
    content = (HEADER + "\n" + "," * 5000 + "\n").encode()
    with pytest.raises(imports.ImportRejected, match="longer than 1,000 characters"):
        imports.import_file("wide.csv", content)


def test_a_wrong_row_after_a_full_batch_rolls_back_the_saved_batches(monkeypatch):
    monkeypatch.setattr(imports, "SAVE_BATCH", 2)
    good = [",".join(GOOD_ROW[:6] + [f"PS {n}"]) for n in range(5)]
    content = "\n".join([HEADER, *good, "2007-03-14,Camden,pssp,x,,seminar,PS"]).encode()
    result = imports.import_file("s.csv", content, dry_run=False)
    assert result.errors == ['row 7, attendees: must be a whole number ≥ 0, got "x"']
    assert (result.created, result.updated) == (0, 0)
    assert not Delivery.objects.exists()
    assert not Delivery.history.exists()


def test_a_workbook_found_through_its_relationships_is_read_wherever_it_lives():
    """The package's relationships say where the workbook is; not every writer uses xl/."""
    rels = ROOT_RELS.replace("xl/workbook.xml", "book/main.xml")
    sheet_rels = WORKBOOK_RELS.replace("worksheets/sheet1.xml", "../data/first.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("book/main.xml", WORKBOOK)
        archive.writestr("book/_rels/main.xml.rels", sheet_rels)
        archive.writestr("data/first.xml", sheet(row(1, COLUMNS) + row(2, GOOD_ROW)))
    result = imports.import_file("moved.xlsx", out.getvalue())
    assert result.errors == []
    assert result.total == 1


def test_a_workbook_naming_a_missing_sheet_is_not_one_we_can_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace("sheet1", "sheet9"))
        archive.writestr("xl/worksheets/sheet1.xml", sheet(row(1, COLUMNS)))
    content = out.getvalue()
    with pytest.raises(imports.ImportRejected, match="not an .xlsx workbook we can read"):
        imports.import_file("missing.xlsx", content)
