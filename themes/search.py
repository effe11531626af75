"""What the search finds in the strategic programme (registered by ThemesConfig.ready)."""

from django.urls import reverse

from dps.search import SearchKind, register, register_theme_choices
from themes.models import Decision, DecisionAction, Deliverable, Issue, Milestone, Risk, Theme


def _theme_choices(user):
    return Theme.objects.visible_to(user).order_by("order", "name").values_list("code", "name")


def register_kinds():
    register(
        SearchKind(
            key="milestones",
            label="Milestones",
            model=Milestone,
            fields=("title", "description"),
            title=str,
            url=lambda row: reverse("themes:milestone-detail", args=[row.pk]),
            order=10,
            theme_path="deliverable__theme",
        )
    )
    register(
        SearchKind(
            key="deliverables",
            label="Deliverables",
            model=Deliverable,
            fields=("title", "description"),
            title=str,
            # A deliverable is shown on its theme's page.
            url=lambda row: reverse("themes:theme-detail", args=[row.theme.code]),
            order=20,
            theme_path="theme",
            related=("theme",),
        )
    )
    register(
        SearchKind(
            key="risks",
            label="Risks",
            model=Risk,
            fields=("title", "cause", "event", "effect", "response"),
            title=str,
            url=lambda row: reverse("themes:risk-detail", args=[row.pk]),
            order=30,
            theme_path="theme",
        )
    )
    register(
        SearchKind(
            key="issues",
            label="Issues",
            model=Issue,
            fields=("title", "description", "resolution"),
            title=str,
            url=lambda row: reverse("themes:issue-detail", args=[row.pk]),
            order=40,
            theme_path="theme",
        )
    )
    register(
        SearchKind(
            key="decisions",
            label="Decisions",
            model=Decision,
            fields=("title", "description", "decided_by"),
            title=str,
            url=lambda row: reverse("themes:decision-detail", args=[row.pk]),
            order=50,
            theme_path="theme",
        )
    )
    register(
        SearchKind(
            key="actions",
            label="Actions",
            model=DecisionAction,
            fields=("description",),
            title=str,
            # An action is listed on the page of the decision it follows from.
            url=lambda row: reverse("themes:decision-detail", args=[row.decision_id]),
            order=60,
            theme_path="decision__theme",
        )
    )
    register_theme_choices(_theme_choices)
