"""Report → HTML → PDF for one reader. Pure rendering: the job that runs it lives in reports.jobs.

The web page, the browser's print preview and the PDF all render the same body template
(`reports/includes/report_body.html`) from the same context, so what the author previews is
what the committee gets.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dps.pdf import PDF_BASE_URL, render_to_pdf
from reports import formatting
from reports.blocks import rendered_block
from reports.selectors import visible_predecessor, visible_successor


def _safe(fragment):
    # `fragment` comes from reports.formatting: author text escaped, then nh3-cleaned.
    return mark_safe(fragment)  # noqa: S308


def document_context(report, *, user):
    """Everything the report body template needs, with blocks resolved for `user`."""
    blocks = {
        block.position: rendered_block(block, user)
        for block in report.blocks.select_related("theme")
    }
    supporting = []
    placed = set()
    for piece in formatting.pieces(report.supporting_information):
        if piece.block is None:
            supporting.append({"html": _safe(piece.html)})
        elif piece.block in blocks and piece.block not in placed:
            placed.add(piece.block)
            supporting.append({"block": blocks[piece.block]})
    # Blocks the text does not place still belong to the report: they follow the text.
    for position, block in sorted(blocks.items()):
        if position not in placed:
            supporting.append({"block": block})
    return {
        "report": report,
        "committee": report.meeting.committee,
        "meeting": report.meeting,
        "summary_html": _safe(formatting.to_html(report.summary)),
        "recommendations_html": _safe(formatting.to_html(report.recommendations)),
        "supporting": supporting,
        "race_equality_html": _safe(formatting.to_html(report.race_equality_impact)),
        "financial_html": _safe(formatting.to_html(report.financial_implications)),
        "background_html": _safe(formatting.to_html(report.background_papers)),
        "contact_lines": [line for line in report.contact_details.splitlines() if line.strip()],
        # Only versions this reader may open are mentioned: naming one they may not would tell
        # them a restricted version exists.
        "supersedes": visible_predecessor(report, user),
        "superseded_by": visible_successor(report, user),
    }


def for_every_reader(report, version):
    """`version` (the one `report` supersedes, or that supersedes it) if every reader of
    `report` may open it, else None.

    The published PDF is rendered once, as the publisher sees it, and then read by everyone who
    may read the report: an unrestricted version 2 naming its restricted version 1 ("This
    report supersedes version 1, published on ...") would tell committee members that a
    restricted version exists. So the document, and the print preview that shows it, names a
    restricted version only in a restricted report, whose readers are all cleared. The web page
    is for one reader and names every version that reader may open.
    """
    if version is not None and version.restricted and not report.restricted:
        return None
    return version


def report_document_html(report, *, user):
    """The whole stand-alone HTML document the PDF is made from (also the print preview)."""
    context = document_context(report, user=user)
    for version in ("supersedes", "superseded_by"):
        context[version] = for_every_reader(report, context[version])
    context["print_stylesheet"] = f"{settings.STATIC_URL}css/report-print.css"
    return render_to_string("reports/report_document.html", context)


def render_report(report, *, user):
    """Render one report to PDF; returns the PDF bytes and the HTML they were made from."""
    html = report_document_html(report, user=user)
    return render_to_pdf(html, base_url=PDF_BASE_URL)


def sha256_of(content):
    return hashlib.sha256(content).hexdigest()
