"""Factories for the handbook's models (kept beside its tests)."""

import factory
from factory.django import DjangoModelFactory

from handbook.models import LessonCompletion, Page, PageRevision
from tests.factories import UserFactory


class PageFactory(DjangoModelFactory):
    """A page with its first version, as `services.create_page` leaves it."""

    class Meta:
        model = Page
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Side {n}")
    slug = factory.Sequence(lambda n: f"side-{n}")
    body = "Første afsnit.\n\nAndet afsnit."
    body_html = "<p>Første afsnit.</p>\n<p>Andet afsnit.</p>"
    revision_number = 1

    @factory.post_generation
    def first_revision(obj, create, extracted, **kwargs):
        if create:
            PageRevision.objects.create(
                page=obj, number=1, title=obj.title, body=obj.body, language=obj.language
            )


class LessonCompletionFactory(DjangoModelFactory):
    class Meta:
        model = LessonCompletion

    user = factory.SubFactory(UserFactory)
    page = factory.SubFactory(PageFactory)
