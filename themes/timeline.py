"""Geometry of the 24-month timeline SVG: pure arithmetic, so the template only draws."""

import datetime
from dataclasses import dataclass, field

LABEL_WIDTH = 250
CHART_WIDTH = 640
ROW_HEIGHT = 22
HEADER_HEIGHT = 40
THEME_ROW_HEIGHT = 28
MAX_ROWS = 400
RAG_COLUMN = 70

# SVG presentation attributes (not CSS), so colours survive printing and strict CSP; the RAG is
# also written as text at the end of each row, never told by colour alone.
RAG_FILLS = {
    "red": "#d4351c",
    "amber": "#f47738",
    "green": "#00703c",
    "complete": "#1d70b8",
    "not-started": "#505a5f",
}


def add_months(date, months):
    month = date.month - 1 + months
    return datetime.date(date.year + month // 12, month % 12 + 1, 1)


@dataclass
class TimelineRow:
    kind: str  # "theme" or "milestone"
    label: str
    y: int
    milestone: object = None
    baseline_x: float | None = None
    forecast_x: float | None = None
    actual_x: float | None = None
    rag: str = ""
    rag_label: str = ""

    @property
    def mid_y(self):
        return self.y + ROW_HEIGHT // 2

    @property
    def text_y(self):
        return self.y + ROW_HEIGHT // 2 + 4

    @property
    def baseline_points(self):
        """A hollow diamond on the baseline date."""
        if self.baseline_x is None:
            return ""
        x, y = self.baseline_x, self.mid_y
        return f"{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}"

    @property
    def short_label(self):
        return self.label if len(self.label) <= 38 else self.label[:37] + "…"

    @property
    def fill(self):
        return RAG_FILLS.get(self.rag, "#505a5f")


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    today: datetime.date
    today_x: float | None
    months: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    height: int = 0
    width: int = LABEL_WIDTH + CHART_WIDTH + RAG_COLUMN
    truncated: bool = False
    chart_left: int = LABEL_WIDTH
    chart_right: int = LABEL_WIDTH + CHART_WIDTH
    rag_x: int = LABEL_WIDTH + CHART_WIDTH + 8

    @property
    def today_text_x(self):
        return None if self.today_x is None else self.today_x + 3


def build_timeline(start, milestones, today, months=24):
    """Lay out `milestones` (ordered by theme, deliverable, date) over `months` from `start`."""
    start = datetime.date(start.year, start.month, 1)
    end = add_months(start, months)
    span = (end - start).days

    def x_of(date):
        if date is None or date < start or date > end:
            return None
        return round(LABEL_WIDTH + CHART_WIDTH * (date - start).days / span, 1)

    timeline = Timeline(start=start, end=end, today=today, today_x=x_of(today))
    for index in range(months):
        month = add_months(start, index)
        timeline.months.append(
            {
                "x": x_of(month),
                "text_x": x_of(month) + 2,
                "label": month.strftime("%b"),
                "name": month.strftime("%B %Y"),
                "year": month.year if month.month == 1 or index == 0 else None,
            }
        )
    y = HEADER_HEIGHT
    current_theme = None
    for count, milestone in enumerate(milestones):
        if count >= MAX_ROWS:
            timeline.truncated = True
            break
        theme = milestone.deliverable.theme
        if theme.pk != current_theme:
            current_theme = theme.pk
            timeline.rows.append(TimelineRow(kind="theme", label=theme.name, y=y))
            y += THEME_ROW_HEIGHT
        timeline.rows.append(
            TimelineRow(
                kind="milestone",
                label=milestone.title,
                y=y,
                milestone=milestone,
                baseline_x=x_of(milestone.baseline_date),
                forecast_x=x_of(milestone.forecast_date),
                actual_x=x_of(milestone.actual_date),
                rag=milestone.rag,
                rag_label=milestone.get_rag_display(),
            )
        )
        y += ROW_HEIGHT
    timeline.height = y + 10
    return timeline
