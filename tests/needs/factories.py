"""Factories for the needs board."""

import factory
from factory.django import DjangoModelFactory

from needs.models import Comment, Need, NeedTag, Support, ThreadSignal
from tests.factories import ThreadFactory, UserFactory


class NeedFactory(DjangoModelFactory):
    """An open need; pass `tags=[...]` for tags. Use SupportFactory for
    supporters (it keeps support_count right)."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Sparring om emne {n}")
    description = "Hvem vil være med?"
    description_html = "<p>Hvem vil være med?</p>"
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            NeedTag.objects.bulk_create([NeedTag(need=obj, name=t) for t in extracted])


class SupportFactory(DjangoModelFactory):
    class Meta:
        model = Support

    need = factory.SubFactory(NeedFactory)
    member = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        support = super()._create(model_class, *args, **kwargs)
        Need.objects.filter(pk=support.need_id).update(support_count=F("support_count") + 1)
        return support


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    need = factory.SubFactory(NeedFactory)
    author = factory.SubFactory(UserFactory)
    body = "Godt forslag"
    body_html = "<p>Godt forslag</p>"


class ThreadSignalFactory(DjangoModelFactory):
    class Meta:
        model = ThreadSignal

    thread = factory.SubFactory(ThreadFactory)
    member = factory.SubFactory(UserFactory)
    region = "midtjylland"
