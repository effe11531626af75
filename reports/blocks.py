"""Live blocks: what each kind shows, computed from the app's data for one user.

Each block's data is a JSON-serialisable dict, produced by the owning app's selector (the delivery
log's statistics, the themes' milestone blocks). Publishing stores it in `ReportBlock.frozen_data`;
from then on the report renders from the stored data, so its figures never move.
"""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from presentations.charts import monthly_chart_svg
from presentations.models import Delivery
from presentations.stats import borough_coverage, monthly_tables
from reports.choices import BlockKind, ReportKind
from reports.revisions import revisions_block_data
from themes.asat import compare_programme, theme_milestones_as_at
from themes.models import Theme
from themes.selectors import programme_summary_block, theme_milestones_block

# The template each kind renders with, and the context name the template expects.
BLOCK_TEMPLATES = {
    BlockKind.MONTHLY_TABLES: ("presentations/includes/monthly_tables.html", "tables"),
    BlockKind.BOROUGH_COVERAGE: ("presentations/includes/borough_coverage.html", "coverage"),
    BlockKind.THEME_MILESTONES: ("themes/includes/milestone_table.html", "block"),
    BlockKind.PROGRAMME_SUMMARY: ("themes/includes/programme_summary.html", "block"),
    BlockKind.MONTHLY_CHART: ("reports/includes/chart_block.html", "chart"),
    BlockKind.FIGURES_REVISED: ("reports/includes/revisions_block.html", "revisions"),
    BlockKind.BASELINE_COMPARISON: ("themes/includes/comparison.html", "comparison"),
}


class BlockUnavailable(Exception):
    """The data behind a block cannot be produced (for example the theme is not visible)."""


def as_json_data(value):
    """Round-trip through JSON so live and frozen data have exactly the same shape."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _deliveries_for(user):
    return Delivery.objects.visible_to(user)


def milestones_as_at(block):
    """The date a theme-milestones block states the milestones as at: a highlight report's
    period end (it reports the period, not the day it is read), otherwise today's records."""
    report = block.report
    if report.kind == ReportKind.HIGHLIGHT and report.period_end:
        return report.period_end
    return None


def compute_block_data(block, user):
    """The block's data as this user would see it now (used for drafts and when freezing)."""
    kind = block.kind
    if kind in (BlockKind.MONTHLY_TABLES, BlockKind.MONTHLY_CHART):
        tables = monthly_tables(_deliveries_for(user), block.period_start, block.period_end)
        if kind == BlockKind.MONTHLY_TABLES:
            return as_json_data(tables)
        title = block.title or "People reached by month"
        return {"title": title, "svg": monthly_chart_svg(tables, title=title)}
    if kind == BlockKind.BOROUGH_COVERAGE:
        return as_json_data(borough_coverage(user, block.period_start, block.period_end))
    if kind == BlockKind.THEME_MILESTONES:
        if block.theme_id is None or not (
            Theme.objects.visible_to(user).filter(pk=block.theme_id).exists()
        ):
            raise BlockUnavailable("The theme of this block is not visible to you.")
        as_at = milestones_as_at(block)
        if as_at is not None:
            return as_json_data(theme_milestones_as_at(user, block.theme.code, as_at))
        return as_json_data(theme_milestones_block(user, block.theme.code))
    if kind == BlockKind.PROGRAMME_SUMMARY:
        return as_json_data(programme_summary_block(user))
    if kind == BlockKind.FIGURES_REVISED:
        return as_json_data(revisions_block_data(block.report, user))
    if kind == BlockKind.BASELINE_COMPARISON:
        return as_json_data(compare_programme(user, block.period_start, block.period_end))
    raise BlockUnavailable(f"Unknown block kind {kind!r}.")


def block_is_restricted(block, author):
    """Whether the block carries restricted (covert) content.

    A restricted theme's milestones obviously do. The programme summary is computed for its
    author (frozen for its publisher): it is restricted when it lists a restricted theme.
    """
    if block.kind == BlockKind.THEME_MILESTONES:
        return bool(block.theme_id and block.theme.restricted)
    if block.kind == BlockKind.PROGRAMME_SUMMARY:
        data = block.frozen_data if block.is_frozen else compute_block_data(block, author)
        return any(theme.get("restricted") for theme in data.get("themes", []))
    if block.kind == BlockKind.BASELINE_COMPARISON:
        data = block.frozen_data if block.is_frozen else compute_block_data(block, author)
        return bool(data.get("restricted"))
    return False


@dataclass
class RenderedBlock:
    position: int
    title: str
    template: str
    context: dict
    error: str = ""


def rendered_block(block, user):
    """A block ready for the report template: frozen data when frozen, else live for `user`."""
    template, context_name = BLOCK_TEMPLATES[block.kind]
    try:
        data = block.frozen_data if block.is_frozen else compute_block_data(block, user)
    except BlockUnavailable as unavailable:
        return RenderedBlock(block.position, block.title, "", {}, error=str(unavailable))
    if block.kind == BlockKind.MONTHLY_CHART:
        # The SVG is generated by presentations.charts from numbers and escaped labels, never
        # from user markup; it is inline so WeasyPrint draws it without fetching anything.
        data = {"title": data.get("title", ""), "svg": mark_safe(data.get("svg", ""))}  # noqa: S308
    return RenderedBlock(block.position, block.title, template, {context_name: data})
