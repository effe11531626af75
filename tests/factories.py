"""factory_boy factories. Reference data (boroughs, products, the 2007 programme and its themes)
comes from the data migrations, so factories look it up rather than inventing it."""

import datetime

import factory
from django.contrib.auth import get_user_model

from dps.models import Borough, Product
from presentations.choices import Occasion, Stream
from presentations.models import Delivery
from themes.models import Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@dps.example")
    password = factory.django.Password("correct-horse-battery")


def borough(name="Camden"):
    return Borough.objects.get(name=name)


def product(code):
    return Product.objects.get(code=code)


def theme(code):
    return Theme.objects.get(code=code)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery
        skip_postgeneration_save = True

    delivered_on = datetime.date(2007, 3, 14)
    borough = factory.LazyFunction(borough)
    stream = Stream.PSSP
    attendees = 20
    occasion = Occasion.MANDATORY_TRAINING
    presenters = "PS Example"

    @factory.post_generation
    def products(self, create, codes, **kwargs):
        if create and codes:
            self.products.set(Product.objects.filter(code__in=codes))
