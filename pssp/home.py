from datetime import date

from pssp.coverage import engagement_coverage, measure
from pssp.selectors import default_period, planner_summary


def section(user):
    """The planning manager's tasking panel: decisions to chase, reports under way, coverage."""
    if not user.has_perm("pssp.change_taskingdecision"):
        return None
    start, end = default_period()
    coverage = engagement_coverage(user, start, end)
    return "pssp/home_section.html", {
        **planner_summary(user, date.today()),
        "coverage_period": (start, end),
        "command_team": measure(coverage, "command_team"),
        "pssp_input": measure(coverage, "pssp_input"),
    }
