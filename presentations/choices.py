from django.db import models


class Stream(models.TextChoices):
    """Which log a session counts in. Civil actions and accident claims are collated separately."""

    PSSP = "pssp", "PSSP"
    NON_PSSP = "non-pssp", "Non-PSSP"
    CIVIL_ACTIONS = "civil-actions", "Civil actions"
    ACCIDENT_CLAIMS = "accident-claims", "Accident claims"


# PSSP input: what the programme's teams deliver from the PSSP menu. Civil actions and accident
# claims are products on that menu, collated apart only in the report's tables; non-PSSP sessions
# are other DPS presentations, so they do not mean a borough received PSSP.
PSSP_INPUT_STREAMS = (Stream.PSSP, Stream.CIVIL_ACTIONS, Stream.ACCIDENT_CLAIMS)
# The report's "Number of presentations given" table: PSSP and non-PSSP presentations.
PRESENTATION_STREAMS = (Stream.PSSP, Stream.NON_PSSP)

# Streams that deliver their own product: a session in them covers that product by definition.
STREAM_OWN_PRODUCT = {
    Stream.CIVIL_ACTIONS: "civil-actions",
    Stream.ACCIDENT_CLAIMS: "accident-claims",
}


class Occasion(models.TextChoices):
    MANDATORY_TRAINING = "mandatory-training", "Mandatory training"
    SUPERVISORS_MEETING = "supervisors-meeting", "Supervisors' meeting"
    MANAGEMENT_MEETING = "management-meeting", "Management meeting"
    SEMINAR = "seminar", "Seminar"
    CONFERENCE = "conference", "Conference"
    OTHER = "other", "Other"
    # Only imports set it: older rows of hand-kept spreadsheets often leave the occasion blank.
    # The logging form does not offer it (presentations.forms.LOGGED_OCCASIONS).
    NOT_RECORDED = "not-recorded", "Not recorded"


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very-satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEUTRAL = "neutral", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very-dissatisfied", "Very dissatisfied"
