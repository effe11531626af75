from django.db import models


class Rag(models.TextChoices):
    """Red/amber/green status. Always shown with its label, never by colour alone."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    NOT_STARTED = "not-started", "Not started"


# One mapping from status to GOV.UK tag colour, used by pages and PDFs alike.
RAG_TAG_COLOURS = {
    Rag.RED: "red",
    Rag.AMBER: "orange",
    Rag.GREEN: "green",
    Rag.COMPLETE: "blue",
    Rag.NOT_STARTED: "grey",
}

# The order a programme board reads RAG in: worst first.
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE]


class ThemeRag(models.TextChoices):
    """The RAG a theme lead reports in a dated status update (a judgement, not a computation)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    COMPLETE = "complete", "Complete"


MILESTONE_STATUS_COLOURS = {
    MilestoneStatus.NOT_STARTED: "grey",
    MilestoneStatus.IN_PROGRESS: "light-blue",
    MilestoneStatus.COMPLETE: "blue",
}


class Proximity(models.TextChoices):
    """PRINCE2 proximity: when the risk would strike."""

    IMMINENT = "imminent", "Imminent"
    WITHIN_STAGE = "within-stage", "Within the stage"
    WITHIN_PROGRAMME = "within-programme", "Within the programme"
    BEYOND_PROGRAMME = "beyond-programme", "Beyond the programme"


class RiskResponse(models.TextChoices):
    """PRINCE2 risk response categories (threats, then opportunities)."""

    AVOID = "avoid", "Avoid"
    REDUCE = "reduce", "Reduce"
    FALLBACK = "fallback", "Fallback"
    TRANSFER = "transfer", "Transfer"
    ACCEPT = "accept", "Accept"
    SHARE = "share", "Share"
    EXPLOIT = "exploit", "Exploit"
    ENHANCE = "enhance", "Enhance"
    REJECT = "reject", "Reject"


class Scale(models.IntegerChoices):
    """Likelihood and impact on the usual five-point scale."""

    VERY_LOW = 1, "1 – very low"
    LOW = 2, "2 – low"
    MEDIUM = 3, "3 – medium"
    HIGH = 4, "4 – high"
    VERY_HIGH = 5, "5 – very high"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AssumptionStatus(models.TextChoices):
    OPEN = "open", "Unconfirmed"
    CONFIRMED = "confirmed", "Confirmed"
    INVALID = "invalid", "Proved false"


class IssueType(models.TextChoices):
    """PRINCE2 issue types."""

    REQUEST_FOR_CHANGE = "request-for-change", "Request for change"
    OFF_SPECIFICATION = "off-specification", "Off-specification"
    PROBLEM = "problem", "Problem or concern"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
