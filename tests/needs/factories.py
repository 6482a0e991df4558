"""factory_boy factories for the needs registry (conventions in
``tests/factories.py``).

Service-backed:

- :class:`NeedFactory` registers through ``services.need_save`` (validation,
  ``raised_by``, the history user, the first status logged); ``by`` and the
  lists ``segments`` and ``conflicts`` are passed to it. A need starts as
  identified: it moves on through ``services.need_transition`` (see
  ``tests.needs.helpers.accept``), never by setting ``status``.
- :class:`NeedReviewFactory` records through ``services.need_review``, which
  also moves a validated or deferred need to reviewed.
- :class:`NeedLinkFactory` links through ``services.link_add``; the linked
  record is ``target`` (default: a new service).
"""

import factory
from django.contrib.contenttypes.models import ContentType

from needs import services
from needs.models import Need, NeedLink, NeedReview
from tests.factories import ServiceFactory, UserFactory


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    statement = "Bills should be easy to read."
    source = Need.Source.SURVEY

    @classmethod
    def _create(
        cls, model_class, *args, by=None, segments=None, conflicts=None, **kwargs
    ):
        return services.need_save(
            need=model_class(*args, **kwargs),
            by=by,
            segments=segments,
            conflicts=conflicts,
        )


class NeedReviewFactory(factory.django.DjangoModelFactory):
    """We can meet the need."""

    class Meta:
        model = NeedReview

    need = factory.SubFactory(NeedFactory)
    reviewed_by = factory.SubFactory(UserFactory)
    result = NeedReview.Result.YES
    rationale = "We have the people."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.need_review(by=kwargs.pop("reviewed_by"), **kwargs)


class NeedLinkFactory(factory.django.DjangoModelFactory):
    """A service that answers the need; another record as ``target=``."""

    class Meta:
        model = NeedLink

    class Params:
        target = factory.SubFactory(ServiceFactory)

    need = factory.SubFactory(NeedFactory)
    kind = NeedLink.Kind.ANSWERS
    target_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.target)
    )
    target_id = factory.LazyAttribute(lambda o: str(o.target.pk))

    @classmethod
    def _create(cls, model_class, *args, target_type, target_id, **kwargs):
        target = target_type.get_object_for_this_type(pk=target_id)
        return services.link_add(target=target, **kwargs)
