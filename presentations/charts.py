"""An accessible SVG bar chart of the monthly figures, for the web page and for PDFs alike.

Built only from numbers and escaped labels, with no external references and no style
attributes (the page runs under a strict Content-Security-Policy; WeasyPrint reads the same
presentation attributes). Each series has its own fill pattern as well as its own colour, and a
text legend, so the chart never relies on colour alone; every bar carries its figure as a
<title>, and the <desc> states the totals for screen readers.
"""

import datetime
import hashlib
import json

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from presentations.stats import TOTAL, month_label

# (label, table, column, colour, pattern kind)
SERIES = (
    ("PSSP presentations (people)", "presentations", "pssp_attendees", "#1d70b8", "solid"),
    ("Non-PSSP presentations (people)", "presentations", "non_pssp_attendees", "#0b0c0c", "hatch"),
    ("Civil actions (people)", "civil_actions", "attendees", "#00703c", "dots"),
    ("Accident claims (participants)", "accident_claims", "participants", "#d4351c", "cross"),
)

WIDTH = 640  # fits an A4 page with 2 cm margins in WeasyPrint (96 px per inch)
HEIGHT = 380
LEFT = 64
RIGHT = 16
TOP = 24
BOTTOM = 110  # month labels plus a two-row legend


def _nice_ceiling(value):
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 10
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def _pattern(pattern_id, kind, colour):
    background = '<rect width="8" height="8" fill="#ffffff"/>'
    if kind == "hatch":
        marks = f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2"/>'
    elif kind == "dots":
        marks = f'<circle cx="4" cy="4" r="2" fill="{colour}"/>'
    else:
        marks = f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{colour}" stroke-width="1.5"/>'
    return (
        f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f"{background}{marks}</pattern>"
    )


def _fill(prefix, index):
    """A flat colour for the solid series (no pattern seams in PDF renderers), else a pattern."""
    _, _, _, colour, kind = SERIES[index]
    return colour if kind == "solid" else f"url(#{prefix}-s{index})"


def _series_values(tables):
    """(months, one list of monthly figures per series) from `stats.monthly_tables(...)`."""
    months = [row["month"] for row in tables["presentations"] if row["month"] != TOTAL]
    by_month = {
        key: {row["month"]: row for row in tables[key] if row["month"] != TOTAL}
        for key in ("presentations", "civil_actions", "accident_claims")
    }
    values = [
        [int(by_month[table].get(month, {}).get(column, 0)) for month in months]
        for _, table, column, _, _ in SERIES
    ]
    return months, values


def _known(tables):
    """ ", as known on 30 June 2007" for tables counted as known on a date, else nothing."""
    known_on = tables.get("known_on")
    if not known_on:
        return ""
    return f", as known on {date_format(datetime.date.fromisoformat(known_on), 'j F Y')}"


def monthly_chart_svg(tables, *, title, same_scale_as=None):
    """The monthly figures of `stats.monthly_tables(...)` as a grouped bar chart (SVG markup).

    Returns safe markup for `{{ chart }}` in a template. Ids inside the SVG are prefixed with a
    digest of the figures and title, so two charts on one page never share a pattern id.

    `same_scale_as`: other tables of the same period (the figures as known on a date beside
    those of now) whose chart is drawn beside this one: both take the axis that fits the larger,
    so a bar's height compares across the two charts. When given, the text alternative also
    states those tables' totals (labelled by their `known_on` date, or as now).
    """
    months, values = _series_values(tables)
    other = _series_values(same_scale_as)[1] if same_scale_as else []
    digest = hashlib.sha256(
        json.dumps([title, months, values], sort_keys=True).encode()
    ).hexdigest()[:10]
    prefix = f"chart-{digest}"
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    axis_max = _nice_ceiling(max((v for series in values + other for v in series), default=0))

    def y(value):
        return TOP + plot_height - plot_height * value / axis_max

    def totals_of(series_values):
        return ", ".join(
            f"{label}: {sum(series)}"
            for (label, *_), series in zip(SERIES, series_values, strict=True)
        )

    if months:
        span = f"{month_label(months[0])} to {month_label(months[-1])}"
        description = (
            f"Bar chart of people reached each month, {span}{_known(tables)}. "
            f"Totals – {totals_of(values)}."
        )
        if same_scale_as:
            description += (
                f" Drawn to the same scale as the chart beside it, of the figures"
                f"{_known(same_scale_as) or ' as the log stands now'}: totals – {totals_of(other)}."
            )
    else:
        description = "No sessions were logged in this period, so there is nothing to chart."

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{prefix}-title {prefix}-desc" font-family="Arial, sans-serif"'
        f' font-size="12">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        "<defs>",
        *(
            _pattern(f"{prefix}-s{index}", kind, colour)
            for index, (_, _, _, colour, kind) in enumerate(SERIES)
            if kind != "solid"
        ),
        "</defs>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Gridlines and y-axis figures at fifths of the axis.
    for step in range(6):
        value = axis_max * step // 5
        line_y = round(y(value), 1)
        parts.append(
            f'<line x1="{LEFT}" y1="{line_y}" x2="{WIDTH - RIGHT}" y2="{line_y}"'
            f' stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{line_y + 4}" text-anchor="end" fill="#0b0c0c">{value}</text>'
        )
    if months:
        group_width = plot_width / len(months)
        bar_width = max(1.0, group_width * 0.8 / len(SERIES))
        for month_index, month in enumerate(months):
            group_x = LEFT + group_width * month_index + group_width * 0.1
            for series_index, (label, *_rest) in enumerate(SERIES):
                value = values[series_index][month_index]
                bar_y = y(value)
                parts.append(
                    f'<rect x="{round(group_x + bar_width * series_index, 1)}"'
                    f' y="{round(bar_y, 1)}" width="{round(bar_width, 1)}"'
                    f' height="{round(TOP + plot_height - bar_y, 1)}"'
                    f' fill="{_fill(prefix, series_index)}" stroke="#0b0c0c" stroke-width="0.5">'
                    f"<title>{escape(label)}, {escape(month_label(month))}: {value}</title></rect>"
                )
            label_x = round(LEFT + group_width * (month_index + 0.5), 1)
            show_year = month_index == 0 or month.endswith("-01")
            parts.append(
                f'<text x="{label_x}" y="{TOP + plot_height + 16}" text-anchor="middle"'
                f' fill="#0b0c0c">{escape(month_label(month, with_year=False))}</text>'
            )
            if show_year:
                parts.append(
                    f'<text x="{label_x}" y="{TOP + plot_height + 30}" text-anchor="middle"'
                    f' fill="#505a5f">{escape(month[:4])}</text>'
                )
    # Axes.
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_height}" stroke="#0b0c0c"/>'
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}"'
        f' y2="{TOP + plot_height}" stroke="#0b0c0c"/>'
    )
    # Legend: two columns of swatch + text, below the month labels.
    legend_top = TOP + plot_height + 48
    for index, (label, *_rest) in enumerate(SERIES):
        column, row = index % 2, index // 2
        x = LEFT + column * (plot_width / 2)
        swatch_y = legend_top + row * 24
        parts.append(
            f'<rect x="{x}" y="{swatch_y}" width="18" height="14" fill="{_fill(prefix, index)}"'
            f' stroke="#0b0c0c" stroke-width="1"/>'
            f'<text x="{x + 26}" y="{swatch_y + 11}" fill="#0b0c0c">{escape(label)}</text>'
        )
    parts.append("</svg>")
    # Every piece above is a number, a fixed string or escaped text.
    return mark_safe("".join(parts))  # noqa: S308
