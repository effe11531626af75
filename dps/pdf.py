"""HTML → PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint fetches whatever a document points at (stylesheets, images, fonts). A report holds
user text, so everything it could point at is refused unless it is one of our static files:
no file://, no http(s)://, no data:, no redirects, no path escaping the static directories.
Anything refused is simply not rendered (fail closed); the refusal is logged.
"""

import logging
import mimetypes
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils._os import safe_join

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; only its warnings (refused fetches) matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Documents are rendered against this made-up origin; the fetcher maps its STATIC_URL paths to
# static files on disk. ".invalid" can never resolve (RFC 2606), so nothing is fetched remotely
# even if the mapping were bypassed.
PDF_BASE_URL = "https://pdf-assets.invalid/"

# The PDF/UA variant tags the PDF (structure, reading order) and carries its title and language.
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """The document asked for something that is not one of the app's static files."""


def static_file_for(url, *, base_url=PDF_BASE_URL):
    """The static file a URL names, or FetchRefused. Pure: safe to test on its own."""
    base = urlsplit(base_url)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise FetchRefused(f"not an app static file: {url[:200]}")
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        raise FetchRefused(f"outside {settings.STATIC_URL}: {url[:200]}")
    relative = path.removeprefix(settings.STATIC_URL)
    segments = relative.replace("\\", "/").split("/")
    if not relative or any(segment in ("..", ".", "") for segment in segments) or "\x00" in path:
        raise FetchRefused(f"unsafe path: {url[:200]}")
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
        except ValueError as error:
            raise FetchRefused(f"unsafe path: {url[:200]}") from error
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise FetchRefused(f"no such static file: {url[:200]}")
    resolved = Path(found).resolve()
    if not any(resolved.is_relative_to(root) for root in _static_roots()):
        raise FetchRefused(f"resolves outside the static files: {url[:200]}")
    return resolved


def _static_roots():
    roots = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        directory = entry[1] if isinstance(entry, tuple | list) else entry
        roots.append(Path(directory).resolve())
    return roots


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the app's static files and refuses everything else, never opening a socket."""

        def __init__(self, *, base_url=PDF_BASE_URL):
            super().__init__(allowed_protocols=("https",), allow_redirects=False)
            self.base_url = base_url
            self.served = []
            self.refused = []

        def fetch(self, url, headers=None):
            try:
                path = static_file_for(url, base_url=self.base_url)
            except FetchRefused as refusal:
                self.refused.append(url)
                logger.warning("PDF fetch refused: %s", refusal)
                raise
            self.served.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def static_files_fetcher(*, base_url=PDF_BASE_URL):
    return _fetcher_class()(base_url=base_url)


class RenderedPdf(NamedTuple):
    pdf: bytes
    html: str


def render_to_pdf(html, *, base_url=PDF_BASE_URL, url_fetcher=None):
    """Render a whole HTML document to a tagged PDF; returns the PDF bytes and the HTML.

    The document links its own print stylesheet (a static file); nothing else is passed as
    `stylesheets=` or attachments, so user text can only reach WeasyPrint as escaped HTML.
    """
    import weasyprint  # lazily: it loads Pango and friends, which web requests rarely need

    fetcher = url_fetcher or static_files_fetcher(base_url=base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(pdf=pdf, html=html)
