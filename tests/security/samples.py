"""Sample arguments for every URL of the app that takes any, from the module's world.

A URL pattern with parameters and no entry here cannot be visited: the permission matrix fails
with "add a sample for <name>", so a new page is never silently left out.
"""

from dataclasses import dataclass

from django.urls import reverse

from tests.security.support import all_routes


def pk(group, key, name="pk"):
    return lambda world: {name: getattr(world, group)[key].pk}


def code(group):
    return lambda world: {"code": "covert" if group == "covert" else "overt"}


# name → {variant: sample kwargs}. "open" records anyone permitted may see; "covert" ones belong
# to the restricted theme. URLs without parameters need no entry.
SAMPLES = {
    "presentations:delivery-detail": {"open": pk("open", "delivery")},
    "presentations:delivery-edit": {"open": pk("open", "delivery")},
    "presentations:delivery-delete": {"open": pk("open", "delivery")},
    "pssp:borough-detail": {"open": pk("open", "borough")},
    "pssp:review-detail": {"open": pk("open", "review")},
    "pssp:review-edit": {"open": pk("open", "review")},
    "pssp:review-delete": {"open": pk("open", "review")},
    "pssp:tasking-detail": {"open": pk("open", "tasking")},
    "pssp:tasking-edit": {"open": pk("open", "tasking")},
    "pssp:decision-create": {"open": pk("open", "tasking", "meeting_pk")},
    "pssp:decision-edit": {"open": pk("open", "tasking_decision")},
    "pssp:decision-delete": {"open": pk("open", "tasking_decision")},
    "pssp:report-detail": {"open": pk("open", "borough_report")},
    "pssp:report-edit": {"open": pk("open", "borough_report")},
    "pssp:report-upload": {"open": pk("open", "borough_report")},
    "pssp:report-download": {"open": pk("open", "borough_report")},
    "pssp:report-step": {
        "open": lambda world: {"pk": world.open["borough_report"].pk, "step": "drafted"}
    },
    "pssp:plan-edit": {"open": pk("open", "borough_report")},
    "pssp:action-create": {"open": pk("open", "borough_report")},
    "pssp:action-edit": {
        "open": lambda world: {
            "pk": world.open["borough_report"].pk,
            "action_pk": world.open["plan_action"].pk,
        }
    },
    "pssp:meeting-detail": {"open": pk("open", "engagement")},
    "pssp:meeting-edit": {"open": pk("open", "engagement")},
    "pssp:meeting-delete": {"open": pk("open", "engagement")},
    "pssp:event-detail": {"open": pk("open", "event")},
    "pssp:event-edit": {"open": pk("open", "event")},
    "pssp:event-delete": {"open": pk("open", "event")},
    "themes:calendar-feed": {
        "open": lambda world: {"token": world.open["feed"].token},
        "wrong-token": lambda world: {"token": "not-a-feed"},
    },
    "reports:report-detail": {
        "draft": pk("open", "draft_report"),
        "published": pk("open", "report"),
        "covert": pk("covert", "report"),
    },
    "reports:report-edit": {
        "draft": pk("open", "draft_report"),
        "published": pk("open", "report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:report-preview": {
        "draft": pk("open", "draft_report"),
        "published": pk("open", "report"),
        "covert": pk("covert", "report"),
    },
    "reports:report-pdf": {
        "draft": pk("open", "draft_report"),
        "published": pk("open", "report"),
        "covert": pk("covert", "report"),
    },
    "reports:block-add": {
        "open": pk("open", "draft_report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:block-remove": {
        "open": lambda world: {
            "pk": world.open["draft_report"].pk,
            "block_pk": world.open["block"].pk,
        },
        "covert": lambda world: {
            "pk": world.covert["draft_report"].pk,
            "block_pk": world.covert["block"].pk,
        },
    },
    "reports:report-approve": {
        "open": pk("open", "draft_report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:report-return": {
        "open": pk("open", "draft_report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:report-publish": {
        "open": pk("open", "draft_report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:report-supersede": {"open": pk("open", "report"), "covert": pk("covert", "report")},
    "reports:report-render": {
        "open": pk("open", "draft_report"),
        "covert": pk("covert", "draft_report"),
    },
    "reports:job-detail": {"open": pk("open", "job"), "covert": pk("covert", "job")},
    "reports:job-status": {"open": pk("open", "job"), "covert": pk("covert", "job")},
    "reports:job-pdf": {"open": pk("open", "job"), "covert": pk("covert", "job")},
}
# Pages of one theme-scoped record, tried on the overt record and on the covert one.
for _name, _key in {
    "pssp:outcome-detail": "outcome",
    "pssp:outcome-edit": "outcome",
    "pssp:outcome-delete": "outcome",
    "themes:milestone-detail": "milestone",
    "themes:milestone-edit": "milestone",
    "themes:risk-detail": "risk",
    "themes:risk-edit": "risk",
    "themes:assumption-edit": "assumption",
    "themes:issue-detail": "issue",
    "themes:issue-edit": "issue",
    "themes:decision-detail": "decision",
    "themes:benefit-detail": "benefit",
    "themes:finance-edit": "finance",
    "themes:deliverable-edit": "deliverable",
    "themes:action-edit": "action",
}.items():
    SAMPLES[_name] = {"open": pk("open", _key), "covert": pk("covert", _key)}
# Pages of a theme, by its code.
for _name in (
    "theme-detail",
    "theme-edit",
    "highlight",
    "deliverable-create",
    "milestone-create",
    "status-create",
    "risk-create",
    "assumption-create",
    "issue-create",
    "decision-create",
    "benefit-create",
    "finance-create",
    "tolerances",
):
    SAMPLES[f"themes:{_name}"] = {"open": code("open"), "covert": code("covert")}


@dataclass(frozen=True)
class Sample:
    """One URL of the app with one set of sample arguments (a "variant")."""

    name: str
    variant: str
    kwargs: object  # world → kwargs, or None when the URL has parameters but no sample yet

    def __str__(self):
        return f"{self.name}[{self.variant}]" if self.variant else self.name

    def url(self, world):
        assert self.kwargs is not None, f"add a sample for {self.name} (tests/security/samples.py)"
        return reverse(self.name, kwargs=self.kwargs(world))


def app_samples():
    """Every non-admin URL with each of its sample variants (the admin is sampled separately)."""
    samples = []
    for route in all_routes():
        if route.name.startswith(("admin:", "<unnamed admin/")):
            continue
        variants = SAMPLES.get(route.name)
        if variants:
            samples += [Sample(route.name, variant, kwargs) for variant, kwargs in variants.items()]
        elif route.params:
            samples.append(Sample(route.name, "", None))
        else:
            samples.append(Sample(route.name, "", lambda world: {}))
    return samples
