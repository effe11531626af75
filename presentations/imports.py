"""Bulk import of past sessions from CSV or XLSX: check every row, then save all or nothing.

Columns: date, borough, stream, attendees, topics, occasion, presenter, reference (optional).
Rows are numbered as a spreadsheet shows them: the header is row 1, the first session row 2.
Every problem is reported with its row and column, e.g.
`row 138, attendees: must be a whole number ≥ 0, got "twelve"`;
a missing required column is reported before (and instead of) any row error.

Written for spreadsheets kept by hand: occasion and stream by code or by name in any case,
occasion and presenter blank ("not recorded"), CSV in UTF-8 (with or without a BOM) or
Windows-1252 with commas or semicolons, XLSX dates and numbers as Excel stores them.

Memory stays bounded whatever the file (issue 12: under 150 MB for anything within the upload
cap). Rows are streamed from the file and checked one at a time; only counts, the first rows of
the preview, the first MAX_ERRORS errors and the references seen (to refuse a repeat) are kept.
A confirmed import writes in batches inside one transaction, rolled back if any row is wrong.
"""

import array
import codecs
import csv
import datetime
import io
import itertools
import math
import posixpath
import re
import secrets
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

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
# Headings as teams write them, read as the column they mean.
COLUMN_ALIASES = {
    "presenters": "presenter",
    "borough or unit": "borough",
    "products": "topics",
    "number of attendees": "attendees",
}

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An .xlsx is a zip: a small upload can unpack to gigabytes, so its unpacked size is capped too.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
# The shared-string table is the one part of a workbook held whole (cells refer to it by
# number). A 200,000-row workbook of unique references and presenters needs ~20 MB.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000
# What the reader holds is capped by cells, not by bytes: a 2 kB file placing three cells at
# column ZZZZZ once made the reader pad rows to 12 million cells (451 MB). The import has
# eight columns; a sheet wider than this is refused at the first cell beyond it.
MAX_COLUMNS = 50
# Blank rows count too (the reader reads them before they are skipped).
MAX_SHEET_ROWS = MAX_ROWS + 10_000
# Excel's own limit for one cell; a longer one in an upload was not written by Excel.
MAX_CELL_CHARACTERS = 32_767
# A CSV line longer than this is not a row of this import (eight short columns).
MAX_LINE_CHARACTERS = 1_000_000
READ_CHUNK = 64 * 1024
NOT_A_WORKBOOK = (
    "The file is not an .xlsx workbook we can read. Save it again from Excel, or as CSV."
)
NOT_TEXT = (
    "The file is not text we can read (UTF-8 or Windows-1252). Save it as 'CSV UTF-8' or as "
    "an Excel .xlsx file."
)
NOT_RECORDED = "Not recorded"
# Beyond this many errors the rest add nothing: the file needs fixing at source.
MAX_ERRORS = 500
PREVIEW_ROWS = 10
# Sessions written at a time on confirm (all inside one transaction).
SAVE_BATCH = 2_000
# References looked up at a time (under SQLite's 999 parameters).
LOOKUP_BATCH = 900
PENDING_DIR = Path(settings.MEDIA_ROOT) / "pending-imports"
PENDING_MAX_AGE = 60 * 60
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ASCII_DIGITS = re.compile(r"[0-9]+")
MAX_ATTENDEES = MAX_WHOLE_NUMBER
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class ImportRejected(Exception):
    """The file as a whole cannot be read (too big, wrong type, not text, damaged)."""


def normalise_name(name):
    """Borough names match ignoring case, spacing and '&' written for 'and'."""
    return " ".join(name.replace("&", " and ").lower().split())


LABEL_PUNCTUATION = re.compile(r"[\s'’‘_.-]+")


def normalise_label(text):
    """Occasions and streams match by code or by name, ignoring case, spacing, hyphens and
    apostrophes: "Supervisors meeting", "SUPERVISORS' MEETING", "supervisors-meeting"."""
    return LABEL_PUNCTUATION.sub(" ", text.replace("&", " and ").lower()).strip()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class ImportResult:
    """What an import found. Only counts, the first rows (for the preview) and the first
    MAX_ERRORS errors are kept: the memory an import needs does not grow with the file."""

    errors: list = field(default_factory=list)
    first_rows: list = field(default_factory=list)
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

    def preview_rows(self, limit=PREVIEW_ROWS):
        return [
            {
                "delivered_on": row.delivered_on,
                "borough": self.borough_names.get(row.borough_id, ""),
                "stream": Stream(row.stream).label,
                "attendees": row.attendees,
                "topics": "; ".join(row.products),
                "occasion": Occasion(row.occasion).label,
                "presenters": row.presenters or NOT_RECORDED,
                "reference": row.reference or "",
            }
            for row in self.first_rows[:limit]
        ]


# --- CSV -----------------------------------------------------------------------------------------


def _csv_encoding(content):
    """UTF-8 (a BOM is dropped) when every byte sequence is valid UTF-8, else Windows-1252,
    which is what Excel's plain "CSV (Comma delimited)" writes on a UK Windows machine.

    Checked in chunks: decoding the whole file at once would hold a second, larger copy of it.
    """
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportRejected(NOT_TEXT)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(content)
    try:
        for start in range(0, len(content), READ_CHUNK):
            decoder.decode(view[start : start + READ_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _bounded_lines(stream):
    """The stream's lines; a line too long for any real row is refused before it is held."""
    while line := stream.readline(MAX_LINE_CHARACTERS + 1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise ImportRejected(
                f"A line of the file is longer than {MAX_LINE_CHARACTERS:,} characters. "
                "Save it again from the spreadsheet, or as an Excel .xlsx file."
            )
        yield line


def _csv_rows(content):
    """(row number, cells) for each record, streamed: comma or semicolon separated (the header
    line decides), CRLF or LF line ends, UTF-8 with or without a BOM or Windows-1252."""
    encoding = _csv_encoding(content)
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    try:
        lines = _bounded_lines(stream)
        header = next(lines, "")
        # Excel writes ";" where the decimal mark is a comma; the header has no commas then.
        separator = ";" if header.count(";") > header.count(",") else ","
        reader = csv.reader(itertools.chain([header], lines), delimiter=separator)
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError as error:
        raise ImportRejected(NOT_TEXT) from error
    except csv.Error as error:
        raise ImportRejected(
            f"The file is not CSV we can read ({error}). Save it again as CSV or as .xlsx."
        ) from error


# --- XLSX ----------------------------------------------------------------------------------------


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
    # The sheet's XML is read directly, streamed. openpyxl is not used: it is ten times slower
    # (~0.1 ms a cell) and holds a workbook's shared strings and styles whole, so a few hostile
    # megabytes of either could exhaust a worker.
    try:
        reader = _SheetReader(archive)
    except (
        KeyError,  # a part the package names is missing
        TypeError,  # no workbook or no sheet is named at all
        ValueError,
        expat.ExpatError,
        zipfile.BadZipFile,
        NotImplementedError,
        EOFError,
        OSError,
        zlib.error,
    ) as error:
        # Damaged XML, a bad CRC, an understated member size, an unknown compression.
        raise ImportRejected(NOT_A_WORKBOOK) from error
    return reader.rows()


def _too_wide():
    return f"The sheet is wider than {MAX_COLUMNS} columns. Keep only the import's columns."


def _too_long():
    return f"The sheet has more than {MAX_SHEET_ROWS:,} rows. Split it into smaller files."


def _cell_too_long():
    return (
        f"A cell holds more than {MAX_CELL_CHARACTERS:,} characters, more than Excel allows. "
        "Save the workbook again from Excel, or as CSV."
    )


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


def _local(name):
    """An element's or attribute's name without its namespace (the parser writes "uri name"):
    transitional and strict OOXML name the same elements in different namespaces."""
    return name.rpartition(" ")[2]


def _refuse_doctype(*args):
    # A workbook never declares a DTD; one in an upload can only be an entity trick.
    raise ImportRejected(f"{NOT_A_WORKBOOK} (it declares a DTD)")


def _parse_member(archive, member, start, end=None, text=None):
    """Stream one zip member through expat, yielding after each chunk it parses.

    The handlers see each element as it opens and closes; nothing of the document is kept
    unless a handler keeps it. Safe on untrusted files: expat never fetches external entities
    here, a DTD is refused outright, and the unpacked size is capped before any of this runs.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True  # one call per run of text, not one per line or entity
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    with archive.open(member) as source:
        while chunk := source.read(READ_CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


class _SharedStrings:
    """The workbook's shared-string table, packed: one UTF-8 buffer and the end of each entry.

    A list of Python strings costs ~60 bytes of overhead an entry; this costs four.
    """

    def __init__(self):
        self.buffer = bytearray()
        self.ends = array.array("I")

    def append(self, text):
        self.buffer += text.encode()
        self.ends.append(len(self.buffer))

    def __len__(self):
        return len(self.ends)

    def __getitem__(self, index):
        start = self.ends[index - 1] if index else 0
        return self.buffer[start : self.ends[index]].decode()


class _TextCollector:
    """Gathers the text of the element being read, refusing more than a cell can hold."""

    def __init__(self):
        self.parts = []
        self.length = 0
        self.active = False

    def reset(self):
        self.parts, self.length, self.active = [], 0, False

    def add(self, data):
        if self.active:
            self.length += len(data)
            if self.length > MAX_CELL_CHARACTERS:
                raise ImportRejected(_cell_too_long())
            self.parts.append(data)

    def value(self):
        return "".join(self.parts)


class _SheetReader:
    """The first sheet of a workbook, row by row, straight from its XML.

    Numbers come back as int/float (a date cell is an Excel serial number: the row parser reads
    numbers in the date column as such), text as str, booleans as bool, formulas as their last
    computed value, ISO date cells (t="d") as dates.
    """

    def __init__(self, archive):
        self.archive = archive
        # Found as the standard says (and as openpyxl finds them): the package's relationships
        # name the workbook, the workbook's name its first sheet and its shared-string table.
        workbook = self._target("_rels/.rels", "", lambda r: r["Type"].endswith("/officeDocument"))
        folder, name = posixpath.split(workbook)
        relation_id = self._first_sheet_relation(workbook)
        relations = posixpath.join(folder, "_rels", f"{name}.rels")
        self.sheet_path = self._target(relations, folder, lambda r: r["Id"] == relation_id)
        self.archive.getinfo(self.sheet_path)
        strings = self._target(relations, folder, lambda r: r["Type"].endswith("/sharedStrings"))
        if strings is None and "xl/sharedStrings.xml" in archive.NameToInfo:
            strings = "xl/sharedStrings.xml"  # where every writer puts it, named or not
        self.shared = self._shared_strings(strings)

    def _target(self, relations, folder, wanted):
        """The member path of the first relationship in `relations` that is `wanted`."""
        found = []

        def start(name, attributes):
            if not found and _local(name) == "Relationship":
                relation = {key: attributes.get(key, "") for key in ("Id", "Type", "Target")}
                if wanted(relation):
                    found.append(relation["Target"])

        for _ in _parse_member(self.archive, relations, start):
            if found:
                break
        if not found or not found[0]:
            return None
        target = found[0]
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        return posixpath.normpath(path)

    def _first_sheet_relation(self, workbook):
        found = []

        def start(name, attributes):
            if not found and _local(name) == "sheet":
                found.extend(
                    value for key, value in attributes.items() if " " in key and _local(key) == "id"
                )

        for _ in _parse_member(self.archive, workbook, start):
            if found:
                break
        if not found:
            raise KeyError("no sheet")
        return found[0]

    def _shared_strings(self, path):
        shared = _SharedStrings()
        if path is None:
            return shared
        info = self.archive.getinfo(path)
        if info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise ImportRejected(
                f"The workbook's text takes more than {MAX_SHARED_STRINGS_BYTES // 2**20} MB "
                "unpacked. Split it into smaller files."
            )
        text = _TextCollector()
        phonetic = [False]

        def start(name, attributes):
            local = _local(name)
            if local == "si":
                text.reset()
            elif local == "t" and not phonetic[0]:
                text.active = True
            elif local == "rPh":  # a reading guide for East Asian text, not the cell's text
                phonetic[0] = True

        def end(name):
            local = _local(name)
            if local == "t":
                text.active = False
            elif local == "rPh":
                phonetic[0] = False
            elif local == "si":
                shared.append(text.value())

        for _ in _parse_member(self.archive, info, start, end, text.add):
            pass
        return shared

    def rows(self):
        try:
            yield from self._rows()
        except ImportRejected:
            raise
        except (
            KeyError,
            ValueError,
            expat.ExpatError,
            zipfile.BadZipFile,
            NotImplementedError,
            EOFError,
            OSError,
            zlib.error,
        ) as error:
            # Damaged XML, a bad CRC, an understated member size, an unknown compression.
            raise ImportRejected(NOT_A_WORKBOOK) from error

    def _rows(self):
        shared = self.shared
        ready = []  # rows completed by the chunk just parsed
        text = _TextCollector()
        state = {
            "number": 0,
            "read": 0,
            "values": [],
            "cell": None,
            "has_value": False,
            "phonetic": False,
        }

        def start(name, attributes):
            local = _local(name)
            if local == "row":
                state["read"] += 1
                if state["read"] > MAX_SHEET_ROWS:
                    raise ImportRejected(_too_long())
                stated = attributes.get("r", "")
                # Excel leaves empty rows out: the stated number keeps row numbers as shown.
                if stated.isascii() and stated.isdigit() and len(stated) < 8:
                    state["number"] = max(state["number"] + 1, int(stated))
                else:
                    state["number"] += 1
                state["values"] = []
            elif local == "c":
                values = state["values"]
                reference = attributes.get("r")
                position = len(values) if reference is None else _column_index(reference)
                if position >= MAX_COLUMNS:
                    raise ImportRejected(_too_wide())
                values.extend([None] * (position - len(values)))
                state["cell"] = (attributes.get("t", "n"), (reference or "?")[:20])
                state["has_value"] = False
                text.reset()
            elif local in ("v", "t") and state["cell"] is not None and not state["phonetic"]:
                text.active = True
                state["has_value"] = True
            elif local == "rPh":  # a reading guide for East Asian text, not the cell's text
                state["phonetic"] = True

        def end(name):
            local = _local(name)
            if local in ("v", "t"):
                text.active = False
            elif local == "rPh":
                state["phonetic"] = False
            elif local == "c" and state["cell"] is not None:
                kind, reference = state["cell"]
                raw = text.value() if state["has_value"] else None
                state["values"].append(_cell_value(kind, raw, reference, shared))
                state["cell"] = None
            elif local == "row":
                ready.append((state["number"], tuple(state["values"])))
                state["values"] = []

        for _ in _parse_member(self.archive, self.sheet_path, start, end, text.add):
            yield from ready
            ready.clear()


def _cell_value(kind, raw, reference, shared):
    if kind == "s":
        index = int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 12 else -1
        if not 0 <= index < len(shared):
            raise ImportRejected(
                f"{NOT_A_WORKBOOK} (cell {reference} refers to text the workbook does not hold)"
            )
        return shared[index]
    if kind == "inlineStr":
        return raw
    if kind == "b":
        return raw == "1"
    if kind in ("str", "e"):
        return raw
    if raw is None or raw.strip() == "":
        return None
    if kind == "d":  # an ISO 8601 date cell, as strict OOXML writes dates
        try:
            return datetime.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return raw
    number = float(raw)
    return int(number) if number.is_integer() else number


def _rows_of(name, content):
    """(row number, cells) for every row of the file, header first, streamed."""
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
        self.stream_codes = sorted(value for value, _ in Stream.choices)
        self.streams = {}
        self.occasions = {"": Occasion.NOT_RECORDED}  # a blank cell: kept as not recorded
        for choices, names in ((Stream.choices, self.streams), (Occasion.choices, self.occasions)):
            for value, label in choices:
                names[normalise_label(value)] = value
                names[normalise_label(label)] = value

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

        stream = self.streams.get(normalise_label(_text(cells["stream"])))
        if stream is None:
            report(
                "stream",
                f'must be one of {", ".join(self.stream_codes)}, got "{_text(cells["stream"])}"',
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

        occasion = self.occasions.get(normalise_label(_text(cells["occasion"])))
        if occasion is None:
            named = [label for value, label in Occasion.choices if value != Occasion.NOT_RECORDED]
            report(
                "occasion",
                f"must be one of {', '.join(named)} (or left blank if not recorded), "
                f'got "{_text(cells["occasion"])[:40]}"',
            )
        values["occasion"] = occasion

        # Blank on many older rows of hand-kept sheets: saved empty, shown as "Not recorded".
        presenter = _text(cells["presenter"])
        if len(presenter) > 200:
            report("presenter", f"must be 200 characters or fewer, got {len(presenter)}")
        values["presenters"] = presenter

        reference = _text(cells.get("reference"))
        if len(reference) > 100:
            report("reference", f"must be 100 characters or fewer, got {len(reference)}")
        values["reference"] = reference or None
        return values


class _ReferenceCounter:
    """A preview's sink: counts the rows whose reference is already in the log."""

    def __init__(self, result):
        self.result = result
        self.references = []

    def add(self, row):
        if row.reference:
            self.references.append(row.reference)
            if len(self.references) >= LOOKUP_BATCH:
                self.flush()

    def flush(self):
        if self.references:
            self.result.matching_existing += Delivery.objects.filter(
                reference__in=self.references
            ).count()
            self.references = []


class _BatchWriter:
    """A confirm's sink: saves the rows in batches (the caller holds the transaction)."""

    def __init__(self, result, entered_by):
        self.result = result
        self.entered_by = entered_by
        self.batch = []

    def add(self, row):
        self.batch.append(row)
        if len(self.batch) >= SAVE_BATCH:
            self.flush()

    def flush(self):
        if self.batch:
            created, updated, unchanged = save_delivery_rows(
                self.batch, entered_by=self.entered_by, reason="Imported"
            )
            self.result.created += created
            self.result.updated += updated
            self.result.unchanged += unchanged
            self.result.matching_existing += updated + unchanged
            self.batch = []


class _NothingSaved(Exception):
    """Raised inside the confirm's transaction when a row is wrong: rolls back every batch."""


def _column_positions(header):
    positions = {}
    for index, title in enumerate(header):
        key = " ".join(_text(title).lower().split())
        key = COLUMN_ALIASES.get(key, key)
        if key and key not in positions:
            positions[key] = index
    return positions


def _check_rows(rows, result, sink):
    """Check every row; hand each valid one to `sink` while the file has no error so far."""
    header = next(rows, None)
    if header is None:
        result.errors.append("the file is empty: it needs a header row naming the columns")
        return
    positions = _column_positions(header[1])
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        result.errors.extend(f"missing column: {column}" for column in missing)
        return

    parser = _RowParser()
    result.borough_names = parser.borough_names
    first_seen = {}
    columns = REQUIRED_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS if c in positions)
    for number, cells in rows:
        if not any(_text(cell) for cell in cells):
            continue  # blank lines at the end of a spreadsheet
        result.total += 1
        if result.total > MAX_ROWS:
            result.errors.append(
                f"the file has more than {MAX_ROWS:,} sessions: split it into smaller files"
            )
            return
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
        if not result.errors and not result.truncated_errors:
            row = DeliveryRow(**values)
            if len(result.first_rows) < PREVIEW_ROWS:
                result.first_rows.append(row)
            sink.add(row)
    if result.truncated_errors:
        result.errors.append(f"… and more: only the first {MAX_ERRORS} problems are listed")
    if not result.errors:
        sink.flush()


def import_file(name, content, *, dry_run=True, entered_by=None):
    """Read and check every row. With dry_run the database is only read (to count rows
    matching existing references); otherwise every row is saved, or none if any is wrong.

    Returns an ImportResult; raises ImportRejected when the file as a whole cannot be read.
    """
    result = ImportResult()
    rows = iter(_rows_of(name, content))
    if dry_run:
        _check_rows(rows, result, _ReferenceCounter(result))
        return result
    try:
        # One transaction: batches written before a later row turns out wrong are undone.
        with transaction.atomic():
            _check_rows(rows, result, _BatchWriter(result, entered_by))
            if result.errors:
                raise _NothingSaved
    except _NothingSaved:
        result.created = result.updated = result.unchanged = result.matching_existing = 0
    if result.errors:
        result.first_rows = []
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
