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
