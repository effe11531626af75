"""CSV and XLSX downloads built from the same django-tables2 table as the page."""

import unicodedata

import tablib
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse

from dps.models import AccessRecord, record_access

# A spreadsheet treats a cell starting with these as a formula; prefixing a quote keeps it text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_FORMATS = tuple(CONTENT_TYPES)
UNKNOWN_FORMAT = "That download format is not offered: use the CSV or XLSX link on the page."
# Exports and downloads carry personal and misconduct data: no shared or browser cache keeps one.
PRIVATE = "private, no-store"


def neutralise(value):
    # Spreadsheets read a full-width "＝" or "＋" as "=" or "+": compare the compatibility form.
    if isinstance(value, str) and unicodedata.normalize("NFKC", value[:1]).startswith(
        FORMULA_TRIGGERS
    ):
        return "'" + value
    return value


def table_dataset(table, exclude_columns=()):
    rows = iter(table.as_values(exclude_columns=exclude_columns))
    dataset = tablib.Dataset(headers=[neutralise(str(h)) for h in next(rows)])
    for row in rows:
        dataset.append([neutralise(value) for value in row])
    return dataset


def rows_dataset(headers, rows):
    """A dataset of plain rows (for screens that are not one table), neutralised like a table's."""
    dataset = tablib.Dataset(headers=[neutralise(str(h)) for h in headers])
    for row in rows:
        dataset.append([neutralise(value) for value in row])
    return dataset


def dataset_download(request, dataset, export_format, *, what, filename):
    """The one way a screen hands out a CSV or XLSX: known format, access recorded, no cache."""
    if export_format not in EXPORT_FORMATS:
        raise PermissionDenied(UNKNOWN_FORMAT)
    record_access(request, kind=AccessRecord.Kind.EXPORT, what=what, rows=len(dataset))
    return dataset_response(dataset, export_format, filename)


def dataset_response(dataset, export_format, filename):
    if export_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {export_format!r}")
    response = HttpResponse(
        dataset.export(export_format), content_type=CONTENT_TYPES[export_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    response["Cache-Control"] = PRIVATE
    return response


def private_file_response(handle, *, filename, content_type):
    """A stored private file (report PDF, borough document) as a download nobody may cache."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE
    return response
