import pytest
from django.urls import reverse

from handbook import services
from handbook.models import LessonCompletion, Page
from tests.conftest import ROLES, make_user
from tests.handbook.factories import LessonCompletionFactory, PageFactory

pytestmark = pytest.mark.django_db

READERS = {"organiser", "moderator", "network_leader"}


@pytest.fixture
def page():
    return PageFactory(title="Tonen", slug="tonen", body="Vær venlig.\n\nOgså online.")


@pytest.fixture
def lesson():
    return PageFactory(title="Lektionen", slug="lektionen", lesson_number=101)


def _expect(response, role, allowed):
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


# --- Who may open what ---------------------------------------------------------

READ_URLS = [
    ("handbook:index", {}),
    ("handbook:page_detail", {"slug": "tonen"}),
    ("handbook:course", {}),
]
LEADER_URLS = [
    ("handbook:page_create", {}),
    ("handbook:page_edit", {"slug": "tonen"}),
    ("handbook:page_history", {"slug": "tonen"}),
    ("handbook:course_overview", {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), READ_URLS)
def test_organisers_moderators_and_leaders_read_the_handbook(client_for, page, role, name, kwargs):
    response = client_for(make_user(role)).get(reverse(name, kwargs=kwargs))
    _expect(response, role, READERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), LEADER_URLS)
def test_only_network_leaders_edit_and_see_history_and_progress(
    client_for, page, role, name, kwargs
):
    response = client_for(make_user(role)).get(reverse(name, kwargs=kwargs))
    _expect(response, role, {"network_leader"})


@pytest.mark.parametrize("role", ["moderator", "network_leader"])
def test_role_holders_without_two_factor_can_read_but_not_edit(client_for, page, role):
    from tests.factories import UserFactory

    client = client_for(UserFactory(roles=[role]))
    assert client.get(page.get_absolute_url()).status_code == 200
    assert client.get(reverse("handbook:course")).status_code == 200
    assert client.get(reverse("handbook:page_edit", args=[page.slug])).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_leaders_can_post_edits(client_for, page, role):
    response = client_for(make_user(role)).post(
        reverse("handbook:page_edit", args=[page.slug]),
        {"title": "Kapret", "body": "Kapret.", "based_on_revision": 1},
    )
    assert response.status_code in {302, 403}
    page.refresh_from_db()
    assert (page.title == "Kapret") is (role == "network_leader")


def test_members_get_403_even_for_unknown_pages(member_client):
    assert member_client.get("/haandbog/findes-ikke/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/haandbog/findes-ikke/",
        "/haandbog/findes-ikke/rediger/",
        "/haandbog/findes-ikke/historik/",
        "/haandbog/findes-ikke/historik/1/gendan/",
        "/haandbog/%C3%A6%C3%B8%C3%A5/",
    ],
)
def test_unknown_pages_give_404(leader_client, path):
    assert leader_client.get(path).status_code == 404


# --- Reading -------------------------------------------------------------------


def test_index_lists_pages_and_marks_lessons(moderator_client, moderator, page, lesson):
    LessonCompletionFactory(user=moderator, page=lesson)
    response = moderator_client.get(reverse("handbook:index"))
    assert "Tonen" in response.text
    assert "Lektionen" in response.text
    listed = {p.slug: p for p in response.context["page_obj"]}
    assert listed["lektionen"].is_completed
    assert not listed["tonen"].is_completed
    progress = response.context["progress"]
    assert progress.done == 1
    assert progress.total == Page.objects.lessons().count()


def test_page_shows_rendered_markdown_only_once_sanitised(moderator_client, network_leader):
    page = services.create_page(
        title="Sikker",
        body="**fed** <script>alert(1)</script>",
        lesson_number=None,
        author=network_leader,
    )
    response = moderator_client.get(page.get_absolute_url())
    assert "<strong>fed</strong>" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_lesson_page_offers_read_and_understood_and_the_next_lesson(moderator_client, lesson):
    later = PageFactory(title="Næste lektion", lesson_number=102)
    response = moderator_client.get(lesson.get_absolute_url())
    assert reverse("handbook:lesson_complete", args=[lesson.slug]) in response.text
    assert response.context["next_lesson"] == later


def test_ordinary_page_has_no_read_button(moderator_client, page):
    response = moderator_client.get(page.get_absolute_url())
    assert reverse("handbook:lesson_complete", args=[page.slug]) not in response.text


def test_edit_links_only_for_leaders(moderator_client, leader_client, page):
    edit = reverse("handbook:page_edit", args=[page.slug])
    assert edit not in moderator_client.get(page.get_absolute_url()).text
    assert edit in leader_client.get(page.get_absolute_url()).text


# --- Writing -------------------------------------------------------------------


def test_leader_creates_a_page(leader_client, network_leader):
    response = leader_client.post(
        reverse("handbook:page_create"),
        {"title": "Julefrokosten", "body": "Hold den billig.", "lesson_number": ""},
    )
    page = Page.objects.get(slug="julefrokosten")
    assert response.status_code == 302
    assert response["Location"] == page.get_absolute_url()
    assert page.updated_by == network_leader
    assert page.revisions.count() == 1


def test_leader_edits_a_page_and_sets_it_as_a_lesson(leader_client, page):
    response = leader_client.post(
        reverse("handbook:page_edit", args=[page.slug]),
        {"title": "Tonen", "body": "Ny tekst.", "lesson_number": "150", "based_on_revision": 1},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.body, page.lesson_number, page.revision_number) == ("Ny tekst.", 150, 2)


def test_edit_form_starts_with_the_current_text(leader_client, page):
    response = leader_client.get(reverse("handbook:page_edit", args=[page.slug]))
    assert "Vær venlig." in response.text
    assert 'name="based_on_revision" value="1"' in response.text


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "body": "Min lange tekst, der ikke må gå tabt."},
        {"title": "   ", "body": "Min lange tekst, der ikke må gå tabt."},
        {"title": "x" * 151, "body": "Min lange tekst, der ikke må gå tabt."},
        {"title": "Titel", "body": "Min lange tekst, der ikke må gå tabt.", "lesson_number": "0"},
        {"title": "Titel", "body": "Min lange tekst, der ikke må gå tabt.", "lesson_number": "x"},
        {"title": "Titel", "body": "Min lange tekst, der ikke må gå tabt.", "lesson_number": "1e9"},
        {"title": "\x00\u200b", "body": "Min lange tekst, der ikke må gå tabt."},
    ],
)
def test_invalid_edits_keep_the_text(leader_client, page, data):
    response = leader_client.post(
        reverse("handbook:page_edit", args=[page.slug]), {**data, "based_on_revision": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Min lange tekst, der ikke må gå tabt." in response.text
    page.refresh_from_db()
    assert page.revision_number == 1


def test_empty_and_oversized_bodies_are_refused_and_kept(leader_client, page):
    url = reverse("handbook:page_edit", args=[page.slug])
    response = leader_client.post(url, {"title": "T", "body": "\n \n", "based_on_revision": 1})
    assert "body" in response.context["form"].errors
    huge = "ord " * 13_000
    response = leader_client.post(url, {"title": "T", "body": huge, "based_on_revision": 1})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert response.context["form"]["body"].value() == huge


@pytest.mark.parametrize("value", ["", "abc", "-1"])
def test_tampered_revision_field_gives_a_form_error_not_a_500(leader_client, page, value):
    response = leader_client.post(
        reverse("handbook:page_edit", args=[page.slug]),
        {"title": "T", "body": "Tekst.", "based_on_revision": value},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    page.refresh_from_db()
    assert page.revision_number == 1


def test_a_taken_lesson_number_is_a_form_error(leader_client, page, lesson):
    response = leader_client.post(
        reverse("handbook:page_edit", args=[page.slug]),
        {"title": "Tonen", "body": "Min tekst.", "lesson_number": "101", "based_on_revision": 1},
    )
    assert response.status_code == 200
    assert "lesson_number" in response.context["form"].errors
    assert "Lektionen" in response.context["form"].errors["lesson_number"][0]
    assert "Min tekst." in response.text


def test_a_stale_edit_keeps_my_text_and_shows_what_changed(leader_client, network_leader, page):
    url = reverse("handbook:page_edit", args=[page.slug])
    services.save_page(
        page=page,
        editor=network_leader,
        title="Tonen",
        body="Vær venlig.\n\nDen andens linje.",
        lesson_number=None,
        based_on_revision=1,
    )
    response = leader_client.post(
        url, {"title": "Tonen", "body": "Min egen version.", "based_on_revision": 1}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form["body"].value() == "Min egen version."
    assert "Min egen version." in response.text
    assert "Den andens linje." in response.text  # in the diff of changes made meanwhile
    page.refresh_from_db()
    assert page.body == "Vær venlig.\n\nDen andens linje."
    # The form now builds on the current version: saving again is a deliberate choice.
    assert 'name="based_on_revision" value="2"' in response.text
    again = leader_client.post(
        url, {"title": "Tonen", "body": "Min egen version.", "based_on_revision": 2}
    )
    assert again.status_code == 302
    page.refresh_from_db()
    assert (page.body, page.revision_number) == ("Min egen version.", 3)


def test_get_and_post_only(leader_client, page):
    response = leader_client.put(reverse("handbook:page_edit", args=[page.slug]))
    assert response.status_code == 405


# --- History and restore ---------------------------------------------------------


@pytest.fixture
def edited(page, network_leader):
    services.save_page(
        page=page,
        editor=network_leader,
        title="Tonen",
        body="Vær venlig.\n\nNy linje.",
        lesson_number=None,
        based_on_revision=1,
    )
    return page


def test_history_shows_the_versions_and_a_diff(leader_client, edited):
    response = leader_client.get(reverse("handbook:page_history", args=[edited.slug]))
    assert response.status_code == 200
    assert [r.number for r in response.context["page_obj"]] == [2, 1]
    assert ("ins", "Ny linje.") in response.context["diff"]
    assert ("del", "Også online.") in response.context["diff"]
    first = leader_client.get(
        reverse("handbook:page_history", args=[edited.slug]), {"fra": 0, "til": 1}
    )
    assert ("ins", "Også online.") in first.context["diff"]


@pytest.mark.parametrize(
    "query", [{"til": "abc"}, {"til": "99"}, {"fra": "x"}, {"fra": "5", "til": "2"}, {"til": "-1"}]
)
def test_odd_history_queries_give_404(leader_client, edited, query):
    response = leader_client.get(reverse("handbook:page_history", args=[edited.slug]), query)
    assert response.status_code == 404


def test_odd_history_page_numbers_still_show(leader_client, edited):
    url = reverse("handbook:page_history", args=[edited.slug])
    assert leader_client.get(url, {"page": "abc"}).status_code == 200
    assert leader_client.get(url, {"page": "999"}).status_code == 200


def test_restore_asks_first_then_restores(leader_client, network_leader, edited):
    url = reverse("handbook:revision_restore", args=[edited.slug, 1])
    response = leader_client.get(url)
    assert response.status_code == 200
    assert "Også online." in response.text
    edited.refresh_from_db()
    assert edited.revision_number == 2
    response = leader_client.post(url)
    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.body, edited.revision_number) == ("Vær venlig.\n\nOgså online.", 3)
    assert edited.revisions.get(number=3).restored_from == 1


def test_restoring_the_current_version_changes_nothing(leader_client, edited):
    response = leader_client.post(reverse("handbook:revision_restore", args=[edited.slug, 2]))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.revision_number == 2


@pytest.mark.parametrize("role", ["member", "organiser", "moderator"])
def test_only_leaders_restore(client_for, edited, role):
    response = client_for(make_user(role)).post(
        reverse("handbook:revision_restore", args=[edited.slug, 1])
    )
    assert response.status_code == 403
    edited.refresh_from_db()
    assert edited.revision_number == 2


def test_restoring_an_unknown_version_gives_404(leader_client, edited):
    url = reverse("handbook:revision_restore", args=[edited.slug, 99])
    assert leader_client.post(url).status_code == 404


# --- The course --------------------------------------------------------------------


def test_marking_a_lesson_read(moderator_client, moderator, lesson):
    url = reverse("handbook:lesson_complete", args=[lesson.slug])
    response = moderator_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == lesson.get_absolute_url()
    assert moderator_client.post(url).status_code == 302
    assert LessonCompletion.objects.filter(user=moderator, page=lesson).count() == 1


def test_marking_read_returns_to_the_course_but_never_elsewhere(moderator_client, lesson):
    url = reverse("handbook:lesson_complete", args=[lesson.slug])
    course = reverse("handbook:course")
    assert moderator_client.post(url, {"next": course})["Location"] == course
    response = moderator_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == lesson.get_absolute_url()


def test_marking_read_needs_post_and_a_lesson(moderator_client, page, lesson):
    assert (
        moderator_client.get(reverse("handbook:lesson_complete", args=[lesson.slug])).status_code
        == 405
    )
    assert (
        moderator_client.post(reverse("handbook:lesson_complete", args=[page.slug])).status_code
        == 404
    )
    assert moderator_client.post("/haandbog/findes-ikke/laest/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_can_mark_lessons_read(client_for, lesson, role):
    response = client_for(make_user(role)).post(
        reverse("handbook:lesson_complete", args=[lesson.slug])
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == (302 if role in READERS else 403)
    assert LessonCompletion.objects.exists() is (role in READERS)


def test_course_shows_my_own_progress(moderator_client, moderator, network_leader, lesson):
    LessonCompletionFactory(user=moderator, page=lesson)
    LessonCompletionFactory(user=network_leader, page=Page.objects.get(lesson_number=1))
    response = moderator_client.get(reverse("handbook:course"))
    lessons = response.context["lessons"]
    assert [item.lesson_number for item in lessons] == sorted(i.lesson_number for i in lessons)
    assert {item.slug for item in lessons if item.is_completed} == {"lektionen"}
    progress = response.context["progress"]
    assert (progress.done, progress.total) == (1, 7)
    assert progress.next_lesson.lesson_number == 1
    assert "1 of 7" in response.text or "1 af 7" in response.text


def test_overview_shows_everyone_with_a_role(leader_client, moderator, organiser, member, lesson):
    LessonCompletionFactory(user=moderator, page=lesson)
    response = leader_client.get(reverse("handbook:course_overview"))
    rows = {row["person"].pk: row for row in response.context["rows"]}
    assert member.pk not in rows
    assert organiser.pk in rows
    assert rows[moderator.pk]["progress"].done == 1
    assert rows[organiser.pk]["progress"].done == 0
    cells = dict((lesson_.pk, when) for lesson_, when in rows[moderator.pk]["cells"])
    assert cells[lesson.pk] is not None
    assert moderator.display_name in response.text


def test_write_rate_limit(leader_client, settings, page):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "handbook_edit": (1, 3600)}
    url = reverse("handbook:page_edit", args=[page.slug])
    leader_client.post(url, {"title": "A", "body": "a", "based_on_revision": 1})
    response = leader_client.post(url, {"title": "B", "body": "b", "based_on_revision": 2})
    assert response.status_code == 429


def test_a_danish_page_is_marked_danish_on_english_pages(client_for):
    """The handbook's text carries the language it was written in (WCAG 3.1.2):
    under /en/ a Danish page's title and text are lang="da", and the other way round."""
    from django.utils import translation

    dane = make_user("network_leader")
    dane.language = "da"
    dane.save(update_fields=["language"])
    danish = services.create_page(
        title="Tonen i forummet", body="Vær venlig.", lesson_number=None, author=dane
    )
    reader = make_user("organiser")
    with translation.override("en"):
        html = client_for(reader).get(danish.get_absolute_url()).text
        index = client_for(reader).get(reverse("handbook:index")).text
    assert '<html lang="en">' in html
    assert '<h1 lang="da" dir="auto">Tonen i forummet</h1>' in html
    assert '<div class="guidelines post-body" lang="da"><p>Vær venlig.</p>' in html
    assert '<bdi lang="da">Tonen i forummet</bdi>' in index

    english = PageFactory(title="The tone", slug="the-tone", language="en")
    html = client_for(reader).get(english.get_absolute_url()).text
    assert '<html lang="da">' in html
    assert '<h1 lang="en" dir="auto">The tone</h1>' in html
