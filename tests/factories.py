"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from qms import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OrgUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    code = factory.Sequence(lambda n: f"segment-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Service

    name = factory.Sequence(lambda n: f"Service {n}")
    code = factory.Sequence(lambda n: f"service-{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Customer

    reference = factory.Sequence(lambda n: f"C-T{n:05d}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda c: f"{c.reference.lower()}@example.org")
    phone = "+372 5555 0000"


def register_case(by=None, **fields):
    """A case registered through the real intake service (numbered, with
    deadlines). Defaults: a phone complaint in a fresh unit."""
    from complaints.models import Case
    from complaints.services import case_register

    fields.setdefault("channel", models.Channel.objects.get(code="phone"))
    if "org_unit" not in fields:
        fields["org_unit"] = OrgUnitFactory()
    fields.setdefault("description", "The bill is wrong.")
    return case_register(case=Case(**fields), by=by)
