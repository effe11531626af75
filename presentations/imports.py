"""Bulk import of past sessions from CSV or XLSX: validate everything, then save all or nothing.

Columns: date, borough, stream, attendees, topics, occasion, presenter, reference (optional).
Rows are numbered as a spreadsheet shows them: the header is row 1, the first session row 2.
Every problem is reported with its row and column, e.g.
`row 138, attendees: must be a whole number ≥ 0, got "twelve"`;
a missing required column is reported before (and instead of) any row error.
"""

import csv
import datetime
import io
import math
import re
import secrets
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dps.forms import MAX_WHOLE_NUMBER
from dps.models import Borough, Product
from presentations.choices import Occasion, Stream
from presentations.models import Delivery, validate_session_date
from presentations.services import DeliveryRow, save_delivery_rows

REQUIRED_COLUMNS = ("date", "borough", "stream", "attendees", "topics", "occasion", "presenter")
OPTIONAL_COLUMNS = ("reference",)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An .xlsx is a zip: a small upload can unpack to gigabytes, so its unpacked size is capped too.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 200_000
# What the reader holds in memory is capped by cells, not by bytes: a 2 kB file placing three
# cells at column ZZZZZ once made the reader pad rows to 12 million cells (451 MB). The import has
# eight columns; a sheet wider than this is refused at the first cell beyond it.
MAX_COLUMNS = 50
# Blank rows count too (the reader holds them before they are skipped).
MAX_SHEET_ROWS = MAX_ROWS + 10_000
NOT_A_WORKBOOK = (
    "The file is not an .xlsx workbook we can read. Save it again from Excel, or as CSV."
)
# Beyond this many errors the rest add nothing: the file needs fixing at source.
MAX_ERRORS = 500
PENDING_DIR = Path(settings.MEDIA_ROOT) / "pending-imports"
PENDING_MAX_AGE = 60 * 60
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ASCII_DIGITS = re.compile(r"[0-9]+")
MAX_ATTENDEES = MAX_WHOLE_NUMBER


EXCEL_EPOCH = datetime.date(1899, 12, 30)


class ImportRejected(Exception):
    """The file as a whole cannot be read (too big, wrong type, not UTF-8)."""


def normalise_name(name):
    """Borough names match ignoring case, spacing and '&' written for 'and'."""
    return " ".join(name.replace("&", " and ").lower().split())


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    total: int = 0
    matching_existing: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    borough_names: dict = field(default_factory=dict)
    truncated_errors: bool = False

    @property
    def new(self):
        return self.total - self.matching_existing

    def save(self, *, entered_by=None):
        if self.errors:
            raise ValueError("A file with errors is never saved.")
        self.created, self.updated, self.unchanged = save_delivery_rows(
            self.rows, entered_by=entered_by, reason="Imported"
        )
        return self

    def preview_rows(self, limit=10):
        return [
            {
                "delivered_on": row.delivered_on,
                "borough": self.borough_names.get(row.borough_id, ""),
                "stream": Stream(row.stream).label,
                "attendees": row.attendees,
                "topics": "; ".join(row.products),
                "occasion": Occasion(row.occasion).label,
                "presenters": row.presenters,
                "reference": row.reference or "",
            }
            for row in self.rows[:limit]
        ]


def _csv_rows(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            "The file is not UTF-8 text. Save it as 'CSV UTF-8' or as an Excel .xlsx file."
        ) from error
    return csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportRejected(NOT_A_WORKBOOK) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportRejected(
            f"The workbook unpacks to {unpacked // (1024 * 1024)} MB, more than the "
            f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB allowed. Split it into smaller files."
        )
    try:
        # openpyxl spends ~0.1 ms a cell; reading the sheet's XML directly is ten times faster.
        return list(_first_sheet_rows(archive))
    except (KeyError, ValueError, ElementTree.ParseError):
        pass  # an unusual but valid layout: let openpyxl read it
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, zlib.error) as error:
        # A damaged archive: a bad CRC, an understated member size, an unknown compression.
        raise ImportRejected(NOT_A_WORKBOOK) from error
    return _openpyxl_rows(content)


def _openpyxl_rows(content):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The sheet's own dimension, when it states one: refuse a wide sheet before reading it.
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise ImportRejected(_too_wide())
        rows = []
        # max_col: a dimension can understate the sheet; cells beyond the cap are never built.
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(row)
            if len(rows) > MAX_SHEET_ROWS:
                raise ImportRejected(_too_long())
        return rows
    except ImportRejected:
        raise
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise ImportRejected(NOT_A_WORKBOOK) from error


def _too_wide():
    return f"The sheet is wider than {MAX_COLUMNS} columns. Keep only the import's columns."


def _too_long():
    return f"The sheet has more than {MAX_SHEET_ROWS:,} rows. Split it into smaller files."


SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
CELL_COLUMN = re.compile(r"^([A-Z]+)")


def _column_index(reference):
    """The 0-based column of a reference like "C12"; refused past MAX_COLUMNS or without one."""
    match = CELL_COLUMN.match(reference)
    if match is None:
        raise ImportRejected(f'{NOT_A_WORKBOOK} (a cell has no column: "{reference[:20]}")')
    letters = match.group(1)
    if len(letters) > 3:  # beyond XFD, Excel's last column: long past the cap anyway
        raise ImportRejected(_too_wide())
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    if index > MAX_COLUMNS:
        raise ImportRejected(_too_wide())
    return index - 1


def _first_sheet_rows(archive):
    """Cell values of the workbook's first sheet, row by row (streamed from its XML).

    Numbers come back as int/float (a date cell is an Excel serial number: the row parser reads
    numbers in the date column as such), text as str, booleans as bool, formulas as their last
    computed value. Safe on untrusted files: ElementTree never fetches external entities or DTDs,
    and the expat it runs on (2.4+, Python 3.11 ships 2.5) refuses entity-expansion bombs; the
    unpacked size is capped before any of this runs.
    """
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - see docstring
    first = workbook.find(f"{SPREADSHEET_NS}sheets/{SPREADSHEET_NS}sheet")
    relation_id = first.attrib[f"{RELATIONSHIP_NS}id"]
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    target = next(
        relation.attrib["Target"] for relation in relations if relation.attrib["Id"] == relation_id
    )
    sheet_path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        with archive.open("xl/sharedStrings.xml") as source:
            for _, element in ElementTree.iterparse(source):  # noqa: S314
                if element.tag == f"{SPREADSHEET_NS}si":
                    shared.append(
                        "".join(text.text or "" for text in element.iter(f"{SPREADSHEET_NS}t"))
                    )
                    element.clear()
    rows_read = 0
    with archive.open(sheet_path) as source:
        for _, element in ElementTree.iterparse(source):  # noqa: S314
            if element.tag != f"{SPREADSHEET_NS}row":
                continue
            rows_read += 1
            if rows_read > MAX_SHEET_ROWS:
                raise ImportRejected(_too_long())
            values = []
            for cell in element.iter(f"{SPREADSHEET_NS}c"):
                position = _column_index(cell.attrib["r"]) if "r" in cell.attrib else len(values)
                if position >= MAX_COLUMNS:
                    raise ImportRejected(_too_wide())
                values.extend([None] * (position - len(values)))
                kind = cell.attrib.get("t", "n")
                raw = cell.findtext(f"{SPREADSHEET_NS}v")
                if kind == "s":
                    index = int(raw) if raw and raw.isascii() and raw.isdigit() else -1
                    if not 0 <= index < len(shared):
                        raise ImportRejected(
                            f"{NOT_A_WORKBOOK} (cell {cell.attrib.get('r', '?')[:20]} refers to "
                            "text the workbook does not hold)"
                        )
                    value = shared[index]
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(f"{SPREADSHEET_NS}t"))
                elif kind == "b":
                    value = raw == "1"
                elif kind in ("str", "e"):
                    value = raw
                elif raw is None or raw == "":
                    value = None
                else:
                    number = float(raw)
                    value = int(number) if number.is_integer() else number
                values.append(value)
            yield tuple(values)
            element.clear()


def _rows_of(name, content):
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportRejected(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files."
        )
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or content[:4] == b"PK\x03\x04":
        return _xlsx_rows(content)
    if suffix in (".csv", ".txt", ""):
        return _csv_rows(content)
    raise ImportRejected("Upload a .csv or .xlsx file.")


class _RowParser:
    """Turns one row's cells into a DeliveryRow, collecting errors by column."""

    def __init__(self):
        self.today = timezone.localdate()
        self.boroughs = {}
        self.borough_names = {}
        for borough_id, name, gss_code in Borough.objects.values_list("id", "name", "gss_code"):
            self.boroughs[normalise_name(name)] = borough_id
            if gss_code:
                self.boroughs[gss_code.lower()] = borough_id
            self.borough_names[borough_id] = name
        self.products = set(Product.objects.values_list("code", flat=True))
        self.streams = {value for value, _ in Stream.choices}
        self.occasions = {}
        for value, label in Occasion.choices:
            self.occasions[value] = value
            self.occasions[normalise_name(label)] = value

    def parse(self, cells, report):
        values = {}
        for column, cell in cells.items():
            # The database refuses a NUL in text: name the cell rather than fail on save.
            if isinstance(cell, str) and "\x00" in cell:
                report(column, "contains a NUL character; retype the cell")
                cells = {**cells, column: cell.replace("\x00", "")}
        raw = cells["date"]
        if isinstance(raw, datetime.datetime):
            delivered_on = raw.date()
        elif isinstance(raw, datetime.date):
            delivered_on = raw
        elif isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
            # An Excel date cell holds days since 30 December 1899 (the 1900 date system).
            delivered_on = EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        else:
            try:
                # As the form reads it: 2008-W01-1 and other ISO 8601 spellings are not dates here.
                if not ISO_DATE.fullmatch(_text(raw)):
                    raise ValueError
                delivered_on = datetime.date.fromisoformat(_text(raw))
            except ValueError:
                delivered_on = None
                report("date", f'must be a date in the form YYYY-MM-DD, got "{_text(raw)[:40]}"')
        if delivered_on is not None:
            try:
                validate_session_date(delivered_on, today=self.today)
            except ValidationError as error:
                report("date", f'{error.messages[0]} Got "{delivered_on.isoformat()}".')
            values["delivered_on"] = delivered_on

        borough = _text(cells["borough"])
        borough_id = self.boroughs.get(normalise_name(borough))
        if borough_id is None:
            report("borough", f'is not a known borough or unit name or GSS code, got "{borough}"')
        values["borough_id"] = borough_id

        stream = _text(cells["stream"]).lower()
        if stream not in self.streams:
            report(
                "stream",
                f'must be one of {", ".join(sorted(self.streams))}, got "{_text(cells["stream"])}"',
            )
        values["stream"] = stream

        raw = cells["attendees"]
        attendees = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            attendees = raw
        elif isinstance(raw, float) and raw.is_integer():
            attendees = int(raw)
        elif isinstance(raw, str) and ASCII_DIGITS.fullmatch(raw.strip()):
            # Plain ASCII digits only ("²".isdigit() is true). int() refuses 5,000 digits, and
            # anything past ten digits is past the column anyway: count it as too many.
            digits = raw.strip().lstrip("0") or "0"
            attendees = int(digits) if len(digits) <= 10 else math.inf
        if attendees is None or attendees < 0:
            report("attendees", f'must be a whole number ≥ 0, got "{_text(raw)[:40]}"')
        elif attendees > MAX_ATTENDEES:
            report("attendees", f'must be {MAX_ATTENDEES:,} or fewer, got "{_text(raw)[:40]}"')
        values["attendees"] = attendees

        topics = [code.strip().lower() for code in _text(cells["topics"]).split(";")]
        topics = [code for code in topics if code]
        unknown = [code for code in topics if code not in self.products]
        if unknown:
            report(
                "topics",
                f"unknown product code{'s' if len(unknown) > 1 else ''} "
                f'"{"; ".join(unknown)}" (known: {", ".join(sorted(self.products))})',
            )
        values["products"] = sorted(set(topics))

        occasion = self.occasions.get(normalise_name(_text(cells["occasion"])))
        if occasion is None:
            report(
                "occasion",
                f"must be one of {', '.join(value for value, _ in Occasion.choices)}, "
                f'got "{_text(cells["occasion"])}"',
            )
        values["occasion"] = occasion

        presenter = _text(cells["presenter"])
        if not presenter:
            report("presenter", "must name who presented, got an empty cell")
        elif len(presenter) > 200:
            report("presenter", f"must be 200 characters or fewer, got {len(presenter)}")
        values["presenters"] = presenter

        reference = _text(cells.get("reference"))
        if len(reference) > 100:
            report("reference", f"must be 100 characters or fewer, got {len(reference)}")
        values["reference"] = reference or None
        return values


def import_file(name, content, *, dry_run=True, entered_by=None):
    """Read and check every row. Returns an ImportResult; `.save()` writes it (all or nothing).

    With dry_run the database is only read (to count rows matching existing references).
    """
    result = ImportResult()
    rows = iter(_rows_of(name, content))
    header = next(rows, None)
    if header is None:
        result.errors.append("the file is empty: it needs a header row naming the columns")
        return result
    positions = {}
    for index, title in enumerate(header):
        key = _text(title).lower()
        if key and key not in positions:
            positions[key] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        result.errors.extend(f"missing column: {column}" for column in missing)
        return result

    parser = _RowParser()
    result.borough_names = parser.borough_names
    first_seen = {}
    columns = REQUIRED_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS if c in positions)
    for number, cells in enumerate(rows, start=2):
        if not any(_text(cell) for cell in cells):
            continue  # blank lines at the end of a spreadsheet
        result.total += 1
        if result.total > MAX_ROWS:
            result.errors.append(
                f"the file has more than {MAX_ROWS:,} sessions: split it into smaller files"
            )
            return result
        by_column = {
            column: cells[positions[column]] if positions[column] < len(cells) else None
            for column in columns
        }

        def report(column, message, number=number):
            if len(result.errors) >= MAX_ERRORS:
                result.truncated_errors = True
                return
            result.errors.append(f"row {number}, {column}: {message}")

        values = parser.parse(by_column, report)
        reference = values["reference"]
        if reference:
            if reference in first_seen:
                report(
                    "reference",
                    f'"{reference}" appears again (first on row {first_seen[reference]})',
                )
            else:
                first_seen[reference] = number
        if not result.errors:
            result.rows.append(DeliveryRow(**values))
    if result.truncated_errors:
        result.errors.append(f"… and more: only the first {MAX_ERRORS} problems are listed")
    if result.errors:
        result.rows = []
        return result
    references = list(first_seen)
    for start in range(0, len(references), 900):
        result.matching_existing += Delivery.objects.filter(
            reference__in=references[start : start + 900]
        ).count()
    if not dry_run:
        with transaction.atomic():
            result.save(entered_by=entered_by)
    return result


def read_upload(upload):
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportRejected(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files."
        )
    return upload.read()


def keep_pending_upload(request, name, content):
    """Keep a checked upload between preview and confirm; only this session can confirm it."""
    PENDING_DIR.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_MAX_AGE
    for old in PENDING_DIR.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (PENDING_DIR / token).write_bytes(content)
    pending = request.session.get("pending_imports", {})
    pending[token] = Path(name).name[:200]
    request.session["pending_imports"] = pending
    return token


def take_pending_upload(request, token):
    pending = request.session.get("pending_imports", {})
    if not TOKEN_PATTERN.match(token or "") or token not in pending:
        return None
    name = pending.pop(token)
    request.session["pending_imports"] = pending
    path = PENDING_DIR / token
    if not path.exists() or path.stat().st_mtime < time.time() - PENDING_MAX_AGE:
        path.unlink(missing_ok=True)
        return None
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    return {"name": name, "content": content}
