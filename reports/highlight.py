"""Theme highlight reports: a draft pre-filled from the theme's data, for the planner to edit.

The content comes from `themes.asat.highlight_report_content` (what this user may see, from the
programme as it stood at the period's end: nothing recorded after it) and is written out as
ordinary report text in the safe format, so the planning manager can reword anything before
approval. The theme's milestone table is added as a live block, also as at the period's end
(reports/blocks.py). A report dated after its period says so.
"""

import datetime

from themes.asat import highlight_report_content


def _date(value):
    if not value:
        return "not set"
    day = datetime.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def _bullets(lines, empty):
    return "\n".join(f"- {line}" for line in lines) if lines else f"- {empty}"


def highlight_text(content, report_date=None):
    """Report sections (a dict of Report field values) from highlight_report_content's dict.

    A report dated after its period states the programme as at the period's end, and says so.
    """
    theme = content["theme"]["name"]
    start, end = content["period"]["start"], content["period"]["end"]
    period = f"{_date(start)} to {_date(end)}"
    status = content["status"]
    rag_label = status["rag"]["label"]
    reason = status["reason"] or "No reason has been recorded."
    computed = content["computed_rag"]["label"]

    completed = [
        f"{row['title']} ({row['deliverable']}): completed {_date(row['actual'])}"
        for row in content["completed"]
    ]
    due_next = [
        f"{row['title']} ({row['deliverable']}): forecast {_date(row['forecast'])}"
        + (f", {row['owner']}" if row["owner"] else "")
        for row in content["due_next_period"]
    ]
    slipped = []
    for row in content["slipped"]:
        moves = "; ".join(
            f"moved from {_date(move['previous'])} to {_date(move['new'])}"
            + (f" ({move['reason']})" if move["reason"] else "")
            for move in row["reforecasts"]
        )
        slipped.append(f"{row['title']}: {moves}")
    risks = [
        f"{risk['title']} (score {risk['score_after']} after mitigation"
        + (f", owner {risk['owner']}" if risk["owner"] else "")
        + (f", review {_date(risk['review_date'])}" if risk["review_date"] else "")
        + ")"
        for risk in content["risks"]
    ]
    issues = [
        f"{issue['title']} ({issue['type']}, {issue['priority']} priority"
        + (f", owner {issue['owner']}" if issue["owner"] else "")
        + ")"
        for issue in content["issues"]
    ]
    next_period = (
        f"{_date(content['next_period']['start'])} to {_date(content['next_period']['end'])}"
    )
    as_at = f"This report states the programme as at {_date(end)}, the end of the period"
    if report_date and report_date > datetime.date.fromisoformat(end):
        as_at += (
            f"; it is dated {_date(report_date.isoformat())}, after its period, and nothing that "
            "happened after the period is reported in it."
        )
    else:
        as_at += "."
    paragraphs = [
        as_at,
        f"1. Status: the theme lead last reported the theme as **{rag_label}**. {reason} "
        f"Computed from the milestones' dates then, the theme stood at {computed}.",
        f"2. Milestones completed this period:\n{_bullets(completed, 'None.')}",
        f"3. Milestones due next period ({next_period}):\n{_bullets(due_next, 'None.')}",
        f"4. Milestones that slipped this period, with the reasons given:\n"
        f"{_bullets(slipped, 'None.')}",
        f"5. Open risks:\n{_bullets(risks, 'None.')}",
        f"6. Open issues:\n{_bullets(issues, 'None.')}",
        "7. The theme's milestones with their RAG status are shown below.",
        "[block 1]",
    ]
    return {
        "title": f"{theme}: highlight report, {period}",
        "summary": f"This highlight report sets out the progress of the {theme} theme of the DPS "
        f"strategic programme from {period}.",
        "recommendations": f"That members note the progress of the {theme} theme.",
        "supporting_information": "\n\n".join(paragraphs),
        "race_equality_impact": "",
        "financial_implications": "",
        "background_papers": "None.",
        "contact_details": f"{content['lead']}, theme lead" if content["lead"] else "",
    }


def highlight_report_fields(user, theme, start, end, report_date=None):
    return highlight_text(highlight_report_content(user, theme.code, start, end), report_date)
