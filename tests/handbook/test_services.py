import pytest

from handbook import services
from handbook.models import LessonCompletion, Page, PageRevision
from netvaerk.markup import MarkupTooSlow
from tests.factories import UserFactory
from tests.handbook.factories import PageFactory

pytestmark = pytest.mark.django_db


def test_creating_a_page_keeps_the_first_version(network_leader):
    page = services.create_page(
        title="Sådan låser du en tråd",
        body="## Hvornår\n\nSjældent.",
        lesson_number=None,
        author=network_leader,
    )
    assert page.slug == "saadan-laaser-du-en-traad"
    assert "<h2>Hvornår</h2>" in page.body_html
    assert page.revision_number == 1
    revision = page.revisions.get()
    assert (revision.number, revision.title, revision.editor) == (1, page.title, network_leader)
    assert revision.body == page.body


def test_slugs_are_unique_and_avoid_reserved_paths(network_leader):
    first = services.create_page(title="Ny", body="a", lesson_number=None, author=network_leader)
    second = services.create_page(title="Ny", body="b", lesson_number=None, author=network_leader)
    course = services.create_page(
        title="Kursus", body="c", lesson_number=None, author=network_leader
    )
    assert {first.slug, second.slug, course.slug} == {"ny-2", "ny-3", "kursus-2"}
    odd = services.create_page(title="!!!", body="d", lesson_number=None, author=network_leader)
    assert odd.slug == "side"


def test_every_save_keeps_a_revision(network_leader):
    page = PageFactory(title="Tonen", body="Vær venlig.")
    saved = services.save_page(
        page=page,
        editor=network_leader,
        title="Tonen i forummet",
        body="Vær **venlig**.",
        lesson_number=None,
        based_on_revision=1,
    )
    assert saved.revision_number == 2
    assert "<strong>venlig</strong>" in Page.objects.get(pk=page.pk).body_html
    latest = PageRevision.objects.get(page=page, number=2)
    assert (latest.title, latest.body, latest.editor) == (
        "Tonen i forummet",
        "Vær **venlig**.",
        network_leader,
    )
    assert PageRevision.objects.get(page=page, number=1).body == "Vær venlig."


def test_saving_unchanged_text_adds_no_revision(network_leader):
    page = PageFactory(title="Tonen", body="Vær venlig.")
    services.save_page(
        page=page,
        editor=network_leader,
        title="Tonen",
        body="Vær venlig.",
        lesson_number=None,
        based_on_revision=1,
    )
    assert page.revisions.count() == 1
    assert Page.objects.get(pk=page.pk).revision_number == 1


def test_changing_only_the_lesson_number_adds_no_revision(network_leader):
    page = PageFactory()
    services.save_page(
        page=page,
        editor=network_leader,
        title=page.title,
        body=page.body,
        lesson_number=101,
        based_on_revision=1,
    )
    page.refresh_from_db()
    assert page.lesson_number == 101
    assert page.revisions.count() == 1


def test_a_stale_edit_is_refused_and_changes_nothing(network_leader, moderator):
    page = PageFactory(title="Tonen", body="Original.")
    services.save_page(
        page=page,
        editor=network_leader,
        title="Tonen",
        body="Først gemt.",
        lesson_number=None,
        based_on_revision=1,
    )
    with pytest.raises(services.StaleEdit) as raised:
        services.save_page(
            page=page,
            editor=network_leader,
            title="Tonen",
            body="Gemt bagefter.",
            lesson_number=None,
            based_on_revision=1,
        )
    assert raised.value.page.revision_number == 2
    page.refresh_from_db()
    assert page.body == "Først gemt."
    assert page.revisions.count() == 2


def test_a_taken_lesson_number_is_refused(network_leader):
    PageFactory(lesson_number=101)
    page = PageFactory(body="Før.")
    with pytest.raises(services.LessonNumberTaken):
        services.save_page(
            page=page,
            editor=network_leader,
            title=page.title,
            body="Efter.",
            lesson_number=101,
            based_on_revision=1,
        )
    page.refresh_from_db()
    assert (page.lesson_number, page.body, page.revisions.count()) == (None, "Før.", 1)


def test_markup_that_cannot_render_changes_nothing(network_leader, monkeypatch):
    page = PageFactory(body="Før.")

    def too_slow(source):
        raise MarkupTooSlow("too slow")

    monkeypatch.setattr(services, "render_markdown", too_slow)
    with pytest.raises(MarkupTooSlow):
        services.save_page(
            page=page,
            editor=network_leader,
            title=page.title,
            body="Efter.",
            lesson_number=None,
            based_on_revision=1,
        )
    page.refresh_from_db()
    assert (page.body, page.revision_number, page.revisions.count()) == ("Før.", 1, 1)


def test_restoring_a_revision_adds_a_new_version_with_the_old_text(network_leader):
    page = PageFactory(title="Gammel titel", body="Gammel tekst.")
    services.save_page(
        page=page,
        editor=network_leader,
        title="Ny titel",
        body="Ny tekst.",
        lesson_number=None,
        based_on_revision=1,
    )
    first = page.revisions.get(number=1)
    restored = services.restore_revision(revision=first, editor=network_leader)
    assert (restored.title, restored.body, restored.revision_number) == (
        "Gammel titel",
        "Gammel tekst.",
        3,
    )
    newest = page.revisions.get(number=3)
    assert (newest.restored_from, newest.editor) == (1, network_leader)
    assert page.revisions.get(number=2).body == "Ny tekst."


def test_restore_keeps_the_lesson_number(network_leader):
    page = PageFactory(lesson_number=101)
    services.save_page(
        page=page,
        editor=network_leader,
        title=page.title,
        body="Ændret.",
        lesson_number=101,
        based_on_revision=1,
    )
    restored = services.restore_revision(
        revision=page.revisions.get(number=1), editor=network_leader
    )
    assert restored.lesson_number == 101


def test_completing_a_lesson_is_idempotent(moderator):
    lesson = PageFactory(lesson_number=101)
    first = services.complete_lesson(user=moderator, page=lesson)
    again = services.complete_lesson(user=moderator, page=lesson)
    assert first.pk == again.pk
    assert LessonCompletion.objects.filter(user=moderator).count() == 1


def test_only_lessons_can_be_completed(moderator):
    with pytest.raises(services.NotALesson):
        services.complete_lesson(user=moderator, page=PageFactory())
    assert not LessonCompletion.objects.exists()


def test_course_url():
    assert services.course_url() == "/haandbog/kursus/"


def test_a_new_role_holder_is_pointed_to_the_course(network_leader):
    from django.urls import reverse

    from accounts import services as account_services
    from accounts.extensions import role_granted
    from notifications.models import Notification
    from tests.factories import UserFactory

    assert "handbook.point_to_course" in role_granted
    member = UserFactory()
    account_services.grant_role(user=member, role="moderator", granted_by=network_leader)
    notice = Notification.objects.get(recipient=member)
    assert notice.link == reverse("handbook:course") and notice.actor == network_leader
    assert notice.message.startswith("Du er nu moderator. Start med det korte kursus")


def test_pages_keep_the_language_they_were_written_in():
    """A page takes its author's interface language; a new version takes the
    editor's; a restored version keeps the language of the text it brings back."""
    dane = UserFactory(roles=["network_leader"], language="da")
    english = UserFactory(roles=["network_leader"], language="en")
    page = services.create_page(title="Tonen", body="Vær venlig.", lesson_number=None, author=dane)
    assert (page.language, page.revisions.get().language) == ("da", "da")

    services.save_page(
        page=page,
        editor=english,
        title="The tone",
        body="Be kind.",
        lesson_number=None,
        based_on_revision=1,
    )
    page.refresh_from_db()
    assert (page.language, page.revisions.get(number=2).language) == ("en", "en")

    services.save_page(
        page=page,
        editor=dane,
        title="The tone",
        body="Be kind.",
        lesson_number=7,
        based_on_revision=2,
    )
    page.refresh_from_db()
    assert page.language == "en"  # only the lesson number changed: the text is still English

    services.restore_revision(revision=page.revisions.get(number=1), editor=english)
    page.refresh_from_db()
    assert (page.title, page.language) == ("Tonen", "da")
    assert page.revisions.get(number=3).language == "da"
