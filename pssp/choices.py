from django.db import models


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class BoroughReportStatus(models.TextChoices):
    """A commissioned borough report, in the order it moves through."""

    COMMISSIONED = "commissioned", "Commissioned"
    DRAFTED = "drafted", "Drafted"
    DISCUSSED = "discussed", "Discussed with the Borough Command Team"
    DISTRIBUTED = "distributed", "Distributed"
    CLOSED = "closed", "Closed"


class PlanStatus(models.TextChoices):
    IN_PREPARATION = "in-preparation", "In preparation"
    AGREED = "agreed", "Agreed with the borough"
    COMPLETED = "completed", "Completed"


class PlanActionStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"


class MeetingKind(models.TextChoices):
    COMMAND_TEAM = "command-team", "Borough Command Team"
    POLICE_FEDERATION = "police-federation", "Police Federation"
    TRADE_UNION_SIDE = "trade-union-side", "Trade Union Side"
    STAFF_ASSOCIATIONS = "staff-associations", "Police Federation and Trade Union Side together"


STAFF_ASSOCIATION_KINDS = (
    MeetingKind.POLICE_FEDERATION,
    MeetingKind.TRADE_UNION_SIDE,
    MeetingKind.STAFF_ASSOCIATIONS,
)


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "Seminar"
    CONFERENCE = "conference", "Conference"
    MASTER_CLASS = "master-class", "Master class"
    WORKSHOP = "workshop", "Workshop"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AudienceCategory(models.TextChoices):
    CUSTODY_PRACTITIONERS = "custody-practitioners", "Custody practitioners"
    INDEPENDENT_CUSTODY_VISITORS = "icv", "Independent Custody Visitors"
    IPCC = "ipcc", "IPCC"
    OTHER_FORCES = "other-forces", "Other forces"
    CORONERS = "coroners", "Coroners"
    MPS_PERSONNEL = "mps-personnel", "MPS personnel"
    MPA = "mpa", "MPA members and officers"
    ACADEMICS = "academics", "Academics"
    OTHER = "other", "Other"


# One mapping from status to GOV.UK tag colour, used by every page that shows a status.
TAG_COLOURS = {
    DecisionStatus.OPEN: "blue",
    DecisionStatus.DONE: "green",
    DecisionStatus.DROPPED: "grey",
    BoroughReportStatus.COMMISSIONED: "grey",
    BoroughReportStatus.DRAFTED: "blue",
    BoroughReportStatus.DISCUSSED: "purple",
    BoroughReportStatus.DISTRIBUTED: "turquoise",
    BoroughReportStatus.CLOSED: "green",
    PlanStatus.IN_PREPARATION: "yellow",
    PlanStatus.AGREED: "blue",
    PlanStatus.COMPLETED: "green",
    PlanActionStatus.NOT_STARTED: "grey",
    PlanActionStatus.IN_PROGRESS: "blue",
    PlanActionStatus.DONE: "green",
    EventStatus.PLANNED: "blue",
    EventStatus.HELD: "green",
    EventStatus.CANCELLED: "grey",
}
