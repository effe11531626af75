"""dps.pdf fetches nothing but the app's own static files, and fails closed."""

import io
import socket
import urllib.request

import pytest
from pypdf import PdfReader

from dps.pdf import PDF_BASE_URL, FetchRefused, render_to_pdf, static_file_for, static_files_fetcher

STATIC = f"{PDF_BASE_URL}static/"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a URL or a socket fails the test loudly."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network or file fetch attempted: {args!r}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_it_serves_the_print_stylesheet_and_fonts():
    assert static_file_for(f"{STATIC}css/report-print.css").name == "report-print.css"
    assert static_file_for(f"{STATIC}fonts/LiberationSans-Regular.ttf").suffix == ".ttf"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/static/css/report-print.css",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/css,body{}",
        f"{STATIC}../../../etc/passwd",
        f"{STATIC}%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC}css/..%2f..%2f..%2fetc/passwd",
        f"{STATIC}css/missing.css",
        f"{PDF_BASE_URL}etc/passwd",
        f"{STATIC}",
    ],
)
def test_it_refuses_anything_else(url):
    with pytest.raises(FetchRefused):
        static_file_for(url)


def test_render_fetches_only_static_files_and_never_the_network(no_network):
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Fetch test</title>'
        '<link rel="stylesheet" href="/static/css/report-print.css">'
        '<link rel="stylesheet" href="http://example.com/evil.css">'
        '<link rel="stylesheet" href="/static/../../etc/passwd">'
        "</head><body><p>Hello</p>"
        '<img src="file:///etc/passwd" alt="one">'
        '<img src="http://example.com/tracker.png" alt="two">'
        '<img src="../../../../etc/passwd" alt="three">'
        '<div class="x" style="background: url(file:///etc/shadow)">bg</div>'
        "</body></html>"
    )
    fetcher = static_files_fetcher()
    rendered = render_to_pdf(html, url_fetcher=fetcher)
    assert rendered.pdf.startswith(b"%PDF")
    assert rendered.html == html
    assert no_network == []
    assert all(url.startswith(STATIC) for url in fetcher.served)
    assert f"{STATIC}css/report-print.css" in fetcher.served
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://example.com/tracker.png" in fetcher.refused
    assert "http://example.com/evil.css" in fetcher.refused
    assert f"{PDF_BASE_URL}etc/passwd" in fetcher.refused  # ../ resolved, then refused
    assert "file:///etc/shadow" in fetcher.refused


def _images_drawn(html):
    reader = PdfReader(io.BytesIO(render_to_pdf(html).pdf))
    return len(reader.pages[0].images)


def test_a_static_image_is_drawn():
    # The control for the test below: an allowed image does reach the PDF.
    icon = "/static/govuk/assets/images/govuk-icon-180.png"
    html = f'<html lang="en-GB"><body><img src="{icon}" alt=""></body></html>'
    assert _images_drawn(html) == 1


def test_refused_images_are_not_drawn():

    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head><body>'
        '<img src="file:///etc/passwd" alt=""><img src="http://example.com/x.png" alt="">'
        "</body></html>"
    )
    assert _images_drawn(html) == 0
