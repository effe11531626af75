"""The two seed reports, rebuilt from app data and published (PDFs rendered by the job queue;
in embedded mode Celery runs in-process, so they are rendered when load_demo commits).

Report 6 (13 September 2007) is text only, written for the committee: every member and the
uncleared planner read it, so it names the programme's open themes and nothing of the restricted
covert one (its name, code or code words); the cleared follow that theme in the app itself.
Report 10 (17 January 2008) takes its three tables from the delivery log as a live block for
January to November 2007, frozen on publishing; with the delivery-log demo loaded they equal the
published figures.

Sharon Hicks (planning manager, cleared) drafts and publishes them; Dev Patel (planning manager,
not cleared) approves them: nobody approves their own draft, and the restricted-content guard
finds nothing restricted in either. "anti-corruption" is recorded as a code
word of the restricted theme, so the guard looks for it too.

A draft theme highlight report (Taylor, September to November 2007) is added for the planning
manager to edit and approve.

Idempotent: a report that already exists (committee meeting + number + version 1) is left as it
is, so loading twice changes nothing.
"""

import datetime
from pathlib import Path

from reports import services
from reports.choices import BlockKind, ProtectiveMarking, ReportStatus
from reports.highlight import highlight_report_fields
from reports.models import Committee, Report, RestrictedCodeWord
from themes.models import Theme

TEXTS = Path(__file__).resolve().parent / "demo_texts"
BY = "Assistant Commissioner Operational Services on behalf of the Commissioner"

REPORT_6 = {
    "meeting_date": datetime.date(2007, 9, 13),
    "agenda_order": 6,
    "number": "6",
    "report_date": datetime.date(2007, 9, 13),
    "title": "Update on progress of review of Directorate of Professional Standards core "
    "business activities",
    "by": BY,
    "summary": "This report sets out the progress in respect of the recently commenced review of "
    "the Directorate of Professional Standards core business activities and the strategic "
    "programme of work for the next 24 months.",
    "recommendations": "That members note the progress made in respect of the review since its "
    "inception in June 2007 and the proposed strategic programme of development for the next "
    "24 months.",
    "supporting_file": "report6_supporting.txt",
    "race_equality_impact": "The inaugural meeting of the DPS Diversity Steering Group takes place "
    "next month and work is in progress to recruit a Diversity Co-ordinator for DPS. As part of "
    "this strategic programme of development, extensive consultation and engagement with key "
    "stakeholders will be undertaken and will continue throughout the implementation by the "
    "Project Leads. It is anticipated that any changes proposed and benefits realised will "
    "improve the trust and confidence of the public and our staff.",
    "financial_implications": "Financial implications for this DPS strategic programme of work "
    "have yet to be fully scoped but are expected to be met from within the DPS financial "
    "budget allocation.",
    "background_papers": "None.",
    "contact_details": "Sharon Hicks, Planning Manager, MPS",
    "blocks": [],
}

REPORT_10 = {
    "meeting_date": datetime.date(2008, 1, 17),
    "agenda_order": 10,
    "number": "10",
    "report_date": datetime.date(2008, 1, 17),
    "title": "Update on progress of professional standards support programme",
    "by": BY,
    "summary": "This report sets out the progress made by the Professional Standards Support "
    "Programme (PSSP) – one year on.",
    "recommendations": "That Members note the progress made in respect of the PSSP since the "
    "launch in November 2006.",
    "supporting_file": "report10_supporting.txt",
    "race_equality_impact": "As part of the Fundamental Review of the Directorate of Professional "
    "Standards, extensive consultation and engagement with key stakeholders was undertaken. In "
    "respect of the PSSP, the DPS Diversity Co-coordinator has reviewed all presentations.",
    "financial_implications": "All costs for the PSSP are to be met from within the DPS "
    "financial budget for 2007/08.",
    "background_papers": "None",
    "contact_details": "Superintendent Paul McGregor, MPS",
    "blocks": [
        {
            "kind": BlockKind.MONTHLY_TABLES,
            "period_start": datetime.date(2007, 1, 1),
            "period_end": datetime.date(2007, 11, 30),
        }
    ],
}


def committee():
    psc, _ = Committee.objects.get_or_create(
        name="Professional Standards & Complaints Committee",
        defaults={"short_name": "PSC", "organisation": "Metropolitan Police Authority"},
    )
    return psc


CODE_WORDS = {"covert": ["anti-corruption"]}


def code_words():
    themes = Theme.objects.every_row("demo set-up").filter(code__in=CODE_WORDS, restricted=True)
    for theme in themes:
        for word in CODE_WORDS[theme.code]:
            RestrictedCodeWord.objects.get_or_create(theme=theme, word=word)


def publish_seed_report(spec, *, author, approver, psc):
    meeting = services.meeting_for(psc, spec["meeting_date"])
    existing = Report.objects.filter(meeting=meeting, number=spec["number"], version=1).first()
    if existing is not None:
        return existing
    fields = {
        name: value
        for name, value in spec.items()
        if name not in ("meeting_date", "supporting_file", "blocks")
    }
    report = services.report_create(
        user=author,
        meeting=meeting,
        protective_marking=ProtectiveMarking.NOT_PROTECTIVELY_MARKED,
        supporting_information=(TEXTS / spec["supporting_file"]).read_text(encoding="utf-8"),
        **fields,
    )
    for block in spec["blocks"]:
        services.block_add(report, user=author, **block)
    if report.status == ReportStatus.DRAFT:
        report = services.report_approve(report, user=approver)
    services.report_publish(report, user=author)
    return Report.objects.get(pk=report.pk)


def draft_highlight_report(*, author, psc):
    """A theme highlight report left in draft, as the planning manager would find it to edit."""
    meeting = services.meeting_for(psc, datetime.date(2008, 1, 17))
    existing = Report.objects.filter(meeting=meeting, number="11", version=1).first()
    taylor = Theme.objects.visible_to(author).filter(code="taylor").first()
    if existing is not None or taylor is None:
        return existing
    start, end = datetime.date(2007, 9, 1), datetime.date(2007, 11, 30)
    report = services.report_create(
        user=author,
        meeting=meeting,
        agenda_order=11,
        number="11",
        report_date=datetime.date(2008, 1, 17),
        by=BY,
        kind="highlight",
        theme=taylor,
        period_start=start,
        period_end=end,
        **highlight_report_fields(author, taylor, start, end, datetime.date(2008, 1, 17)),
    )
    services.block_add(report, user=author, kind=BlockKind.THEME_MILESTONES, theme=taylor)
    return report


def load(users):
    psc = committee()
    code_words()
    author = users["planner"]
    published = [
        publish_seed_report(spec, author=author, approver=users["planner2"], psc=psc)
        for spec in (REPORT_6, REPORT_10)
    ]
    return [*published, draft_highlight_report(author=author, psc=psc)]
