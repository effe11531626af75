from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ReportKind(models.TextChoices):
    COMMITTEE = "committee", "Committee report"
    HIGHLIGHT = "highlight", "Theme highlight report"


class ProtectiveMarking(models.TextChoices):
    """Government Security Classifications a committee paper may carry (printed on every page)."""

    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"
    NOT_PROTECTIVELY_MARKED = "NOT PROTECTIVELY MARKED", "NOT PROTECTIVELY MARKED (pre-2014 papers)"


class BlockKind(models.TextChoices):
    """Live blocks a report's supporting information can embed, frozen when it is published."""

    MONTHLY_TABLES = "monthly-tables", "PSSP monthly tables (presentations, civil actions, claims)"
    BOROUGH_COVERAGE = "borough-coverage", "Per-borough coverage"
    THEME_MILESTONES = "theme-milestones", "A theme's milestones with RAG status"
    PROGRAMME_SUMMARY = "programme-summary", "Programme milestone summary"
    MONTHLY_CHART = "monthly-chart", "Monthly chart of people reached"
    FIGURES_REVISED = "figures-revised", "Figures since revised in earlier published reports"
    BASELINE_COMPARISON = "baseline-comparison", "What changed in the programme between two dates"


# Blocks that count the delivery log need a period; a theme's milestones need a theme.
BLOCKS_NEEDING_PERIOD = {
    BlockKind.MONTHLY_TABLES,
    BlockKind.BOROUGH_COVERAGE,
    BlockKind.MONTHLY_CHART,
    # From the period's first day to its last.
    BlockKind.BASELINE_COMPARISON,
}
BLOCKS_NEEDING_THEME = {BlockKind.THEME_MILESTONES}


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobPurpose(models.TextChoices):
    PUBLICATION = "publication", "Published PDF"
    PROOF = "proof", "Proof for checking"


# One mapping from status to GOV.UK tag colour, used by pages and lists alike.
STATUS_TAG_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.APPROVED: "blue",
    ReportStatus.PUBLISHED: "green",
}
JOB_TAG_COLOURS = {
    JobState.QUEUED: "grey",
    JobState.RENDERING: "blue",
    JobState.DONE: "green",
    JobState.FAILED: "red",
}
