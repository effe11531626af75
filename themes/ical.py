"""An iCalendar (RFC 5545) feed of milestones: one all-day event on each forecast date."""

import datetime

from django.utils import timezone


def escape_text(value):
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma escaped; newlines as \\n."""
    value = str(value or "")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(value):
    return value.strftime("%Y%m%d")


def milestone_calendar(milestones, *, name, host):
    """The feed as text. `milestones` should have deliverable__theme and owner selected."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DPS Programme Manager//Milestones//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for milestone in milestones:
        theme = milestone.deliverable.theme
        day = milestone.actual_date or milestone.forecast_date
        description = "\n".join(
            [
                f"Theme: {theme.name}",
                f"Deliverable: {milestone.deliverable.title}",
                f"Status: {milestone.get_status_display()}",
                f"RAG: {milestone.get_rag_display()}",
                f"Baseline: {milestone.baseline_date:%d %b %Y}",
                f"Forecast: {milestone.forecast_date:%d %b %Y}",
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:milestone-{milestone.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(day)}",
            # A duration, not DTEND = day + 1: no date arithmetic that could overflow on a
            # milestone saved before dates were bounded (9999-12-31 made every feed answer 500).
            "DURATION:P1D",
            f"SUMMARY:{escape_text(f'Milestone: {milestone.title}')}",
            f"DESCRIPTION:{escape_text(description)}",
            f"CATEGORIES:{escape_text(theme.name)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
