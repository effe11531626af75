"""Checking an uploaded borough report document by what it is, not what it is called.

A document is accepted only when its extension, its size and its content agree: a PDF starts with
`%PDF-`; a DOCX is a zip holding `[Content_Types].xml` and `word/document.xml`; an ODT is a zip
whose `mimetype` member says it is an OpenDocument text. The zip is only listed, never extracted.
"""

import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename

ALLOWED_KINDS = ("pdf", "docx", "odt")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes():
    return getattr(settings, "PSSP_REPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def safe_display_name(filename):
    """The uploaded name, reduced to a harmless label (kept for display only, never as a path)."""
    base = os.path.basename(str(filename).replace("\\", "/")).strip()
    cleaned = get_valid_filename(base) if base.strip(". ") else ""
    return cleaned[:150] or "document"


def _extension(filename):
    base = os.path.basename(str(filename).replace("\\", "/"))
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _zip_members(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            mimetype = b""
            info = archive.NameToInfo.get("mimetype")
            # The ODF mimetype member is a few dozen bytes; refuse to read anything bigger.
            if info is not None and info.file_size <= 100:
                mimetype = archive.read("mimetype").strip()
            return names, mimetype
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None, b""
    finally:
        uploaded.seek(0)


def detect_kind(uploaded):
    """The document type its content shows ('pdf', 'docx', 'odt'), or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        names, mimetype = _zip_members(uploaded)
        if names is None:
            return None
        if mimetype == ODT_MIMETYPE and "content.xml" in names:
            return "odt"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def too_large_message(size=None):
    limit = filesizeformat(max_upload_bytes())
    if size is None:
        return f"The file is larger than {limit}, the largest allowed."
    return f"The file is {filesizeformat(size)}; the largest allowed is {limit}."


def validate_report_document(uploaded):
    """Return the document's kind, or raise ValidationError saying exactly what is wrong."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise ValidationError(too_large_message(uploaded.size), code="too_large")
    if uploaded.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = _extension(uploaded.name)
    if extension not in ALLOWED_KINDS:
        raise ValidationError(
            "The file must be a PDF, Word (.docx) or OpenDocument text (.odt) document.",
            code="wrong_extension",
        )
    kind = detect_kind(uploaded)
    if kind is None:
        raise ValidationError(
            f"The file is called .{extension} but its content is not a PDF, Word (.docx) or "
            "OpenDocument text (.odt) document.",
            code="wrong_content",
        )
    if kind != extension:
        raise ValidationError(
            f"The file is called .{extension} but its content is a .{kind} document: "
            "rename it or upload the right file.",
            code="mismatch",
        )
    return kind


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops taking a file in once it passes the limit, so an oversize upload is never written
    to disk in full; the view then reports the size error on the field."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_upload_bytes()
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            # Not a connection reset: the rest of the body is read and discarded, so the browser
            # gets the error page rather than a dropped connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
