"""factory_boy factories shared by every app's tests: users, organisation,
customers, controlled documents. Each area's own records have their factories
in ``tests/<app>/factories.py``.

Conventions for every factory module:

- unique codes and references come from ``factory.Sequence``; other texts are
  fixed, so nothing an assertion reads depends on a random draw (factory_boy's
  Faker is reseeded per test in ``tests/conftest.py``, but its values still
  change whenever a test adds or removes a draw);
- channels, roles, root-cause and Ishikawa categories are seeded by data
  migrations: factories look them up (:func:`seeded_channel`) instead of
  creating look-alikes;
- a record whose creation belongs to a service (a numbered reference, a first
  status logged, a history user, computed fields) is created through that
  service by the factory's ``_create``, and the module's docstring says so.
  Such factories take the service's extra arguments (``by``, ``body``,
  ``answers``...) as keyword arguments; one that declares such an argument
  supports ``create`` only (``build`` would hand it to the model);
- these factories are for tests only: the demo and benchmark data
  (``qms.demo``, ``bench``) stay deterministic and do not use them.

Service-backed here: :class:`DocumentFactory` (``qms.services.document_create``:
a first draft version and its logged status) and :func:`register_case`
(``complaints.services.case_register``: a numbered case with its deadlines).
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from qms import models
from qms.areas import Area


def seeded_channel(code: str = "phone") -> factory.LazyFunction:
    """A declaration for one of the channels the data migration seeded."""
    return factory.LazyFunction(lambda: models.Channel.objects.get(code=code))


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


class MembershipFactory(factory.django.DjangoModelFactory):
    """The unit a staff member works in."""

    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClosureDay

    # Far from the dates tests compute with, one day apart.
    date = factory.Sequence(lambda n: datetime.date(2040, 1, 1) + datetime.timedelta(n))
    reason = "Staff day"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A controlled document with its first version as a draft, created by
    ``qms.services.document_create``. ``body`` and ``change_reason`` go to that
    first version."""

    class Meta:
        model = models.Document

    identifier = factory.Sequence(lambda n: f"DOC-{n}")
    title = "Handling complaints"
    kind = models.Document.Kind.PROCEDURE
    area = Area.GENERAL
    owner = factory.SubFactory(UserFactory)
    body = "Acknowledge within one working day."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from qms.services import document_create

        return document_create(**kwargs)


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
