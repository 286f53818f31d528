"""The data migration installs the handbook and the course in Danish."""

import pytest
from django.core.management import call_command

from handbook.models import Page

pytestmark = pytest.mark.django_db

TOPICS = {
    "byg-videre-paa-det-der-findes": "uformelle",
    "service-og-faelles-ansvar": "medansvar",
    "led-ved-at-dele-viden": "viden",
    "lyt-til-medlemmerne-og-moed-dem": "møde",
    "giv-plads-til-det-sociale": "julefrokost",
    "et-online-faellesskab-der-virker": "søge",
    "tonen-i-forummet": "tonen",
    "tag-godt-imod-nye-medlemmer": "velkomst",
    "flag-og-laaste-traade": "låse",
    "skjul-slet-eller-saet-paa-pause": "pause",
}


def test_the_initial_pages_exist_with_substance():
    pages = {page.slug: page for page in Page.objects.filter(slug__in=TOPICS)}
    assert set(pages) == set(TOPICS)
    for slug, word in TOPICS.items():
        page = pages[slug]
        assert word in page.body.lower(), slug
        paragraphs = [p for p in page.body.split("\n\n") if len(p) > 150]
        assert len(paragraphs) >= 4, slug
        assert page.body_html.startswith("<p>"), slug
        assert page.revision_number == 1
        assert page.revisions.get().body == page.body


def test_the_course_has_six_lessons_in_order():
    lessons = list(
        Page.objects.lessons().filter(slug__in=TOPICS).values_list("lesson_number", "slug")
    )
    assert [number for number, _ in lessons] == [1, 2, 3, 4, 5, 6]
    assert lessons[0][1] == "service-og-faelles-ansvar"


def test_no_migration_is_missing():
    call_command("makemigrations", "handbook", "--check", "--dry-run", verbosity=0)
