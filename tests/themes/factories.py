import datetime

import factory

from tests.factories import UserFactory, theme
from themes.choices import Proximity, RiskResponse
from themes.models import Deliverable, Milestone, Risk, ThemeStatusUpdate
from themes.services import milestone_create


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    theme = factory.LazyFunction(lambda: theme("taylor"))
    title = factory.Sequence(lambda n: f"Deliverable {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone
        skip_postgeneration_save = True

    deliverable = factory.SubFactory(DeliverableFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    owner = factory.SubFactory(UserFactory)
    baseline_date = datetime.date(2008, 4, 1)
    forecast_date = factory.LazyAttribute(lambda m: m.baseline_date)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as the pages create them: the cached RAG comes from the rule.
        return milestone_create(user=None, **kwargs)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeStatusUpdate

    theme = factory.LazyFunction(lambda: theme("taylor"))
    as_at = datetime.date(2008, 3, 1)
    rag = "green"
    reason = "On track"
    author = factory.SubFactory(UserFactory)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    theme = factory.LazyFunction(lambda: theme("taylor"))
    title = factory.Sequence(lambda n: f"Risk {n}")
    cause = "Cause"
    event = "Event"
    effect = "Effect"
    likelihood_before = 4
    impact_before = 4
    likelihood_after = 2
    impact_after = 3
    proximity = Proximity.WITHIN_STAGE
    response_category = RiskResponse.REDUCE
    owner = factory.SubFactory(UserFactory)
    raised_on = datetime.date(2007, 9, 1)
    review_date = datetime.date(2008, 1, 1)


def deliverable_in(code, **kwargs):
    return DeliverableFactory(theme=theme(code), **kwargs)
