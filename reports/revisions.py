"""Figures since revised: where a published report's frozen delivery figures differ from what the
delivery log says today for the same period.

A published report never changes, and its PDF is rendered once. But sessions are logged late and
corrected, so the log's figures for a past period move. The report's PAGE (never its PDF or its
print preview) lists each cell of its frozen monthly tables that has since been revised, with
the published figure, today's figure and the difference, so a reader knows which numbers moved.

Today's figures are counted by the same function that froze them (`presentations.stats`), over
every session: the delivery log holds nothing restricted, and the frozen figures were counted
over every session too.
"""

import json
from dataclasses import asdict, dataclass

from django.core.serializers.json import DjangoJSONEncoder

from presentations.models import Delivery
from presentations.stats import monthly_tables, revised_cells
from reports.choices import BlockKind, ReportStatus
from reports.models import Report

WHY = "a published report's figures compared with the delivery log today"


@dataclass(frozen=True)
class BlockRevisions:
    position: int
    period_label: str
    cells: list


def figures_since_revised(report):
    """For a published report: each frozen monthly-tables block whose figures have since been
    revised, with the cells that moved. Empty for a draft (its figures are live)."""
    if not report.is_published:
        return []
    revisions = []
    blocks = report.blocks.filter(kind=BlockKind.MONTHLY_TABLES, frozen_at__isnull=False)
    for block in blocks.order_by("position"):
        now = json.loads(
            json.dumps(
                monthly_tables(
                    Delivery.objects.every_row(WHY), block.period_start, block.period_end
                ),
                cls=DjangoJSONEncoder,
            )
        )
        cells = revised_cells(block.frozen_data or {}, now)
        if cells:
            label = (block.frozen_data or {}).get("period", {}).get("label", "")
            revisions.append(BlockRevisions(block.position, label, cells))
    return revisions


def revisions_block_data(report, user):
    """The "figures since revised" block of `report`: for each earlier published report this
    user may read (open ones only: a block must not carry a restricted report's name), the
    cells of its frozen figures that the delivery log has since revised."""
    earlier = (
        Report.objects.visible_to(user)
        .filter(
            status=ReportStatus.PUBLISHED,
            restricted=False,
            meeting__date__lte=report.meeting.date,
        )
        .exclude(pk=report.pk)
        .select_related("meeting")
        .order_by("meeting__date", "agenda_order", "version")
    )
    entries = []
    for published in earlier:
        for block in figures_since_revised(published):
            entries.append(
                {
                    "report": published.number,
                    "version": published.version,
                    "meeting": published.meeting.date.isoformat(),
                    "title": published.title,
                    "period": block.period_label,
                    "cells": [{**asdict(cell), "change": cell.change} for cell in block.cells],
                }
            )
    return {"reports": entries}
