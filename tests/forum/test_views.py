import pytest
from django.urls import reverse

from forum import services
from forum.models import Access, Post, Thread
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa():
    return CategoryFactory(name="Spørgsmål", slug="sporgsmal")


def thread_data(category_obj, **changes):
    return {
        "category": category_obj.pk,
        "kind": "question",
        "title": "Hvordan registrerer jeg moms?",
        "body": "Jeg er ny og **forvirret**.",
        "tags_text": "moms, opstart",
        "submission_key": "key-1",
        **changes,
    }


# --- Reading ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_private_categories_are_404_for_those_who_may_not_read(client_for, role):
    staff_only = CategoryFactory(read_access=Access.STAFF)
    thread = ThreadFactory(category=staff_only, title="Hemmelig plan")
    client = client_for(make_user(role))
    allowed = role in ("moderator", "network_leader")
    assert client.get(staff_only.get_absolute_url()).status_code == (200 if allowed else 404)
    assert client.get(thread.get_absolute_url()).status_code == (200 if allowed else 404)
    post = thread.posts.get()
    assert client.get(post.get_absolute_url()).status_code == (302 if allowed else 404)
    for url in ("forum:latest", "forum:unanswered", "forum:unsolved", "forum:index"):
        assert ("Hemmelig plan" in client.get(reverse(url)).text) is allowed


def test_anonymous_visitors_read_public_categories_only(client):
    public = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE), title="Nyhed")
    members = ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS), title="Intern")
    page = client.get(reverse("forum:latest")).text
    assert "Nyhed" in page and "Intern" not in page
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(members.get_absolute_url()).status_code == 403  # "log in to read"


@pytest.mark.parametrize("role", ROLES)
def test_a_visitor_is_asked_to_log_in_to_read_a_members_thread(client_for, role):
    members = CategoryFactory(read_access=Access.MEMBERS)
    thread = ThreadFactory(category=members, title="Intern strategi")
    post = thread.posts.get()
    client = client_for(make_user(role))
    for url in (thread.get_absolute_url(), post.get_absolute_url()):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 403
            assert "Log ind for at læse" in response.text
            assert "Intern strategi" not in response.text
            login = reverse("account_login") + "?next=" + url.replace("/", "%2F")
            assert login in response.text
        else:
            assert response.status_code in (200, 302)


def test_a_visitor_still_gets_404_for_what_logging_in_would_not_show(client):
    hidden = ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS), state="hidden")
    staff = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(staff.get_absolute_url()).status_code == 404
    assert client.get("/forum/t/999999/x/").status_code == 404
    assert client.get("/forum/p/999999/").status_code == 404


def test_stale_slug_redirects_to_the_canonical_url(member_client):
    thread = ThreadFactory(title="Ny titel", slug="ny-titel")
    response = member_client.get(f"/forum/t/{thread.pk}/gammel-titel/")
    assert response.status_code == 301
    assert response["Location"] == thread.get_absolute_url()


def test_post_permalink_lands_on_the_right_page(member_client):
    thread = ThreadFactory()
    replier = UserFactory()
    posts = [
        services.post_reply(thread=thread, author=replier, body=f"svar {i}") for i in range(25)
    ]
    response = member_client.get(posts[-1].get_absolute_url())
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{posts[-1].pk}"
    page = member_client.get(f"{thread.get_absolute_url()}?page=2")
    assert f'id="post-{posts[-1].pk}"' in page.text


@pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999", "abc"])
def test_odd_page_numbers_do_not_break_lists(member_client, page):
    ThreadFactory()
    assert member_client.get(reverse("forum:latest"), {"page": page}).status_code == 200


def test_unknown_ids_are_404(member_client):
    assert member_client.get("/forum/t/999999/x/").status_code == 404
    assert member_client.get("/forum/t/abc/x/").status_code == 404
    assert member_client.get("/forum/p/999999/").status_code == 404
    assert member_client.get("/forum/c/findes-ikke/").status_code == 404
    assert member_client.get("/forum/tag/findes-ikke/").status_code == 404


def test_unread_marker_and_read_tracking(member, member_client):
    thread = ThreadFactory(title="Læs mig")
    assert "Ulæst" in member_client.get(reverse("forum:latest")).text
    member_client.get(thread.get_absolute_url())
    assert "Ulæst" not in member_client.get(reverse("forum:latest")).text
    services.post_reply(thread=thread, author=UserFactory(), body="Nyt svar")
    assert "1 ny" in member_client.get(reverse("forum:latest")).text


def test_views_are_counted(member_client):
    thread = ThreadFactory()
    member_client.get(thread.get_absolute_url())
    member_client.get(thread.get_absolute_url())
    thread.refresh_from_db()
    assert thread.view_count == 0  # gathered in the cache, not written on a GET
    assert services.flush_view_counts(include_current=True) == 2
    thread.refresh_from_db()
    assert thread.view_count == 2


def test_unanswered_and_unsolved_lists_filter_by_category_and_tag(member_client):
    moms = TagFactory(name="moms")
    one = ThreadFactory(title="Første spørgsmål", kind="question")
    one.tags.add(moms)
    other = ThreadFactory(title="Andet spørgsmål", kind="question")
    url = reverse("forum:unanswered")
    page = member_client.get(url).text
    assert "Første spørgsmål" in page and "Andet spørgsmål" in page
    by_tag = member_client.get(url, {"tag": "moms"}).text
    assert "Første spørgsmål" in by_tag and "Andet spørgsmål" not in by_tag
    by_category = member_client.get(url, {"category": other.category.slug}).text
    assert "Andet spørgsmål" in by_category and "Første spørgsmål" not in by_category
    assert "Første spørgsmål" in member_client.get(reverse("forum:unsolved")).text


def test_tag_page_lists_its_threads(member_client):
    tag = TagFactory(name="regnskab")
    thread = ThreadFactory(title="Regnskabsprogram?")
    thread.tags.add(tag)
    ThreadFactory(title="Noget andet")
    page = member_client.get(tag.get_absolute_url()).text
    assert "Regnskabsprogram?" in page and "Noget andet" not in page


# --- Starting threads -------------------------------------------------------


def test_member_starts_a_question(member, member_client, qa):
    response = member_client.post(reverse("forum:thread_create"), thread_data(qa))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.author == member
    assert "<strong>forvirret</strong>" in thread.posts.get().body_html


def test_double_submit_creates_one_thread(member_client, qa):
    member_client.post(reverse("forum:thread_create"), thread_data(qa))
    member_client.post(reverse("forum:thread_create"), thread_data(qa))
    assert Thread.objects.count() == 1


def test_preview_without_javascript_rerenders_the_form(member_client, qa):
    response = member_client.post(
        reverse("forum:thread_create"), {**thread_data(qa), "preview": "1"}
    )
    assert response.status_code == 200
    assert "<strong>forvirret</strong>" in response.text
    assert "Hvordan registrerer jeg moms?" in response.text
    assert not Thread.objects.exists()


def test_preview_with_htmx_returns_only_the_preview(member_client, qa):
    response = member_client.post(
        reverse("forum:thread_create"),
        {**thread_data(qa), "preview": "1"},
        headers={"HX-Request": "true"},
    )
    assert "<strong>forvirret</strong>" in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"body": ""}, "body"),
        ({"body": "  \n\t "}, "body"),
        ({"body": "\x00\x00"}, "body"),
        ({"body": "x" * 50_001}, "body"),
        ({"body": "![" * 5000}, "body"),
        ({"kind": "poll"}, "kind"),
        ({"category": "999999"}, "category"),
        ({"tags_text": "a,b,c,d,e,f"}, "tags_text"),
    ],
)
def test_bad_thread_input_gives_an_error_and_keeps_the_text(member_client, qa, changes, field):
    data = thread_data(qa, **changes)
    response = member_client.post(reverse("forum:thread_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Thread.objects.exists()
    if field != "body":
        assert "forvirret" in response.text
    if field != "title":
        assert "Hvordan registrerer jeg moms?" in response.text


def test_members_cannot_start_threads_in_staff_categories(member_client, qa):
    news = CategoryFactory(read_access=Access.EVERYONE, start_access=Access.STAFF)
    response = member_client.post(reverse("forum:thread_create"), thread_data(news))
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Thread.objects.exists()


def test_moderators_start_threads_in_staff_categories(moderator_client):
    news = CategoryFactory(read_access=Access.EVERYONE, start_access=Access.STAFF)
    response = moderator_client.post(reverse("forum:thread_create"), thread_data(news))
    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_log_in(client, qa):
    response = client.post(reverse("forum:thread_create"), thread_data(qa))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Thread.objects.exists()


# --- Replies ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_can_reply(client_for, role):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE))
    response = client_for(make_user(role)).post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": "Mit svar"}
    )
    posted = Post.objects.filter(thread=thread, number=2).exists()
    assert posted is (role != "anonymous")
    assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_locked_threads_take_replies_from_moderators_only(client_for, role):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE), is_locked=True)
    response = client_for(make_user(role)).post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": "Mit svar"}
    )
    allowed = role in ("moderator", "network_leader")
    assert Post.objects.filter(thread=thread, number=2).exists() is allowed
    if role not in ("anonymous",) and not allowed:
        # Refused, but the text is kept as a draft rather than lost.
        assert response["Location"] == reverse("forum:draft_list")


def test_reply_to_a_thread_one_may_not_read_is_404(member_client):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    response = member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": "Hej"})
    assert response.status_code == 404


def test_invalid_reply_keeps_the_text(member_client):
    thread = ThreadFactory()
    body = "![" * 5000
    response = member_client.post(reverse("forum:reply_create", args=[thread.pk]), {"body": body})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert "![![" in response.text
    assert not Post.objects.filter(number=2).exists()


def test_reply_preview_without_and_with_javascript(member_client):
    thread = ThreadFactory()
    url = reverse("forum:reply_create", args=[thread.pk])
    page = member_client.post(url, {"body": "_kursiv_", "preview": "1"})
    assert "<em>kursiv</em>" in page.text and "<html" in page.text
    fragment = member_client.post(
        url, {"body": "_kursiv_", "preview": "1"}, headers={"HX-Request": "true"}
    )
    assert "<em>kursiv</em>" in fragment.text and "<html" not in fragment.text
    assert not Post.objects.filter(number=2).exists()


# --- Accepted answers -------------------------------------------------------


def test_the_asker_accepts_an_answer(member, member_client):
    thread = ThreadFactory(author=member, kind="question")
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Løsningen")
    response = member_client.post(reverse("forum:accept_answer", args=[answer.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_post == answer
    page = member_client.get(thread.get_absolute_url()).text
    assert "Løst" in page and "Accepteret svar" in page
    assert thread.title not in member_client.get(reverse("forum:unsolved")).text
    member_client.post(reverse("forum:accept_answer", args=[answer.pk]), {"unaccept": "1"})
    thread.refresh_from_db()
    assert thread.accepted_post is None


@pytest.mark.parametrize("role", ROLES)
def test_who_may_accept_an_answer_on_someone_elses_question(client_for, role):
    thread = ThreadFactory(kind="question", category=CategoryFactory(read_access=Access.EVERYONE))
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    response = client_for(make_user(role)).post(reverse("forum:accept_answer", args=[answer.pk]))
    thread.refresh_from_db()
    allowed = role in ("moderator", "network_leader")
    assert (thread.accepted_post_id == answer.pk) is allowed
    if role not in ("anonymous",) and not allowed:
        assert response.status_code == 403


def test_accepting_needs_post(member, member_client):
    thread = ThreadFactory(author=member, kind="question")
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    assert member_client.get(reverse("forum:accept_answer", args=[answer.pk])).status_code == 405


def test_the_question_cannot_be_accepted_as_its_own_answer(member, member_client):
    thread = ThreadFactory(author=member, kind="question")
    first = thread.posts.get()
    response = member_client.post(reverse("forum:accept_answer", args=[first.pk]))
    assert response.status_code == 404


def test_time_to_first_answer_is_shown(member_client):
    thread = ThreadFactory(kind="question")
    services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    assert "første svar efter" in member_client.get(thread.get_absolute_url()).text


# --- Quote, thanks, bookmarks -------------------------------------------------


def test_quote_reply_prefills_the_quoted_post_with_attribution(member_client):
    thread = ThreadFactory()
    post = services.post_reply(
        thread=thread, author=UserFactory(display_name="Karl Kvik"), body="Linje 1\n\nLinje 3"
    )
    response = member_client.get(
        reverse("forum:reply_create", args=[thread.pk]), {"citat": post.pk}
    )
    body = response.context["form"].initial["body"]
    assert body.startswith("> **Karl Kvik**")
    assert f"({post.get_absolute_url()})" in body
    assert "> Linje 1\n>\n> Linje 3" in body


def test_quoting_a_post_from_another_thread_quotes_nothing(member_client):
    thread, other = ThreadFactory(), ThreadFactory()
    response = member_client.get(
        reverse("forum:reply_create", args=[thread.pk]), {"citat": other.posts.get().pk}
    )
    assert "body" not in response.context["form"].initial


@pytest.mark.parametrize("role", ROLES)
def test_who_can_thank_a_post(client_for, role):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE))
    post = thread.posts.get()
    client_for(make_user(role)).post(reverse("forum:toggle_reaction", args=[post.pk]))
    post.refresh_from_db()
    assert post.reaction_count == (0 if role == "anonymous" else 1)


def test_thanks_toggle_and_show_who_thanked(member, member_client):
    thread = ThreadFactory()
    post = thread.posts.get()
    url = reverse("forum:toggle_reaction", args=[post.pk])
    member_client.post(url)
    page = member_client.get(thread.get_absolute_url()).text
    assert member.display_name in page and "1 tak" in page
    member_client.post(url)
    post.refresh_from_db()
    assert post.reaction_count == 0


def test_members_cannot_thank_their_own_posts(member, member_client):
    post = ThreadFactory(author=member).posts.get()
    response = member_client.post(reverse("forum:toggle_reaction", args=[post.pk]))
    assert response.status_code == 403


def test_thanks_on_a_post_one_may_not_read_is_404(member_client):
    post = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF)).posts.get()
    assert member_client.post(reverse("forum:toggle_reaction", args=[post.pk])).status_code == 404


def test_bookmarks_toggle_and_list(member, member_client):
    thread = ThreadFactory(title="Gem denne tråd")
    post = thread.posts.get()
    url = reverse("forum:toggle_bookmark", args=[post.pk])
    member_client.post(url)
    assert "Gem denne tråd" in member_client.get(reverse("forum:bookmark_list")).text
    member_client.post(url)
    assert "Gem denne tråd" not in member_client.get(reverse("forum:bookmark_list")).text


def test_bookmarks_are_private(member_client):
    other = UserFactory()
    post = ThreadFactory(title="Andres bogmærke").posts.get()
    services.toggle_bookmark(post=post, user=other)
    assert "Andres bogmærke" not in member_client.get(reverse("forum:bookmark_list")).text


def test_bookmark_list_requires_login(client):
    assert client.get(reverse("forum:bookmark_list")).status_code == 302


# --- Editing and history ------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_someone_elses_post(client_for, role):
    thread = ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE))
    post = services.post_reply(thread=thread, author=UserFactory(), body="Original")
    response = client_for(make_user(role)).post(
        reverse("forum:post_edit", args=[post.pk]), {"body": "Ændret", "reason": "Stavefejl"}
    )
    post.refresh_from_db()
    allowed = role in ("moderator", "network_leader")
    assert (post.body == "Ændret") is allowed
    if role not in ("anonymous",) and not allowed:
        assert response.status_code == 403


def test_author_edits_and_the_history_keeps_every_version(member, member_client):
    thread = ThreadFactory()
    post = services.post_reply(thread=thread, author=member, body="Momsen er 20 %")
    url = reverse("forum:post_edit", args=[post.pk])
    assert (
        member_client.post(url, {"body": "Momsen er 25 %", "reason": "rettet"}).status_code == 302
    )
    member_client.post(url, {"body": "Momsen er 25 %.\n\nKilde: skat.dk"})
    post.refresh_from_db()
    assert post.edited_at is not None
    assert list(post.revisions.values_list("number", "body")) == [
        (1, "Momsen er 20 %"),
        (2, "Momsen er 25 %"),
        (3, "Momsen er 25 %.\n\nKilde: skat.dk"),
    ]
    history = member_client.get(reverse("forum:post_history", args=[post.pk]), {"fra": 1, "til": 2})
    assert "<del>" in history.text and "Momsen er 20 %" in history.text
    assert "<ins>" in history.text and "rettet" in history.text
    assert "Gendan" not in history.text  # only moderators restore


def test_editing_the_first_post_can_change_the_title(member, member_client):
    thread = ThreadFactory(author=member, title="Gammel titel", slug="gammel-titel")
    first = thread.posts.get()
    response = member_client.post(
        reverse("forum:post_edit", args=[first.pk]), {"title": "Ny titel", "body": "Hej"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.title, thread.slug) == ("Ny titel", "ny-titel")
    assert member_client.get(f"/forum/t/{thread.pk}/gammel-titel/").status_code == 301


def test_invalid_edit_keeps_the_text(member, member_client):
    post = services.post_reply(thread=ThreadFactory(), author=member, body="Før")
    response = member_client.post(
        reverse("forum:post_edit", args=[post.pk]), {"body": "![" * 5000 + "KEEP"}
    )
    assert response.status_code == 200
    assert "KEEP" in response.text
    post.refresh_from_db()
    assert post.body == "Før"


def test_authors_cannot_edit_in_locked_threads(member, member_client):
    thread = ThreadFactory(is_locked=True)
    post = services.post_reply(thread=thread, author=member, body="Før")
    response = member_client.post(reverse("forum:post_edit", args=[post.pk]), {"body": "Efter"})
    assert response.status_code == 403


def test_history_is_for_the_author_and_moderators(member_client, moderator_client):
    author = UserFactory()
    post = services.post_reply(thread=ThreadFactory(), author=author, body="v1")
    services.edit_post(post=post, editor=author, body="v2")
    url = reverse("forum:post_history", args=[post.pk])
    assert member_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 200


def test_moderator_restores_a_revision(moderator, moderator_client):
    author = UserFactory()
    post = services.post_reply(thread=ThreadFactory(), author=author, body="Godt svar")
    services.edit_post(post=post, editor=author, body="Slettet af vrede")
    url = reverse("forum:revision_restore", args=[post.pk, 1])
    assert moderator_client.get(url).status_code == 200  # confirmation page
    post.refresh_from_db()
    assert post.body == "Slettet af vrede"
    assert moderator_client.post(url).status_code == 302
    post.refresh_from_db()
    assert post.body == "Godt svar"
    assert post.revisions.count() == 3
    assert post.revisions.last().editor == moderator


def test_members_cannot_restore_revisions(member, member_client):
    post = services.post_reply(thread=ThreadFactory(), author=member, body="v1")
    services.edit_post(post=post, editor=member, body="v2")
    response = member_client.post(reverse("forum:revision_restore", args=[post.pk, 1]))
    assert response.status_code == 403


@pytest.mark.parametrize("query", [{"til": "9"}, {"fra": "x"}, {"til": "-1"}])
def test_history_with_bad_versions_is_404(member, member_client, query):
    post = services.post_reply(thread=ThreadFactory(), author=member, body="v1")
    services.edit_post(post=post, editor=member, body="v2")
    url = reverse("forum:post_history", args=[post.pk])
    assert member_client.get(url, query).status_code == 404


# --- Similar threads ----------------------------------------------------------


def test_similar_threads_are_suggested_live(member_client):
    ThreadFactory(title="Momsregistrering af webshop")
    ThreadFactory(title="Julefrokost i Aarhus")
    ThreadFactory(title="Hemmelig moms", category=CategoryFactory(read_access=Access.STAFF))
    response = member_client.get(reverse("forum:similar"), {"title": "Hvordan med moms?"})
    assert "Momsregistrering af webshop" in response.text
    assert "Julefrokost" not in response.text
    assert "Hemmelig moms" not in response.text
    assert "<html" not in response.text


def test_similar_threads_shown_on_preview_without_javascript(member_client, qa):
    ThreadFactory(title="Registrere moms første gang")
    response = member_client.post(
        reverse("forum:thread_create"), {**thread_data(qa), "preview": "1"}
    )
    assert "Registrere moms første gang" in response.text


def test_similar_with_an_empty_or_odd_title(member_client):
    ThreadFactory(title="Noget")
    for title in ("", "   ", "%%%", "a" * 1000):
        assert member_client.get(reverse("forum:similar"), {"title": title}).status_code == 200


def test_new_post_count_and_jump_to_the_first_unread_post(member, member_client):
    thread = ThreadFactory(title="Mange svar")
    replier = UserFactory()
    posts = [services.post_reply(thread=thread, author=replier, body=f"svar {i}") for i in range(3)]
    services.mark_read(user=member, thread=thread, number=2)  # read the question and one reply
    listing = member_client.get(reverse("forum:latest")).text
    assert "2 nye" in listing
    response = member_client.get(reverse("forum:thread_unread", args=[thread.pk]))
    assert response["Location"] == posts[1].get_absolute_url()


def test_a_reply_to_a_thread_locked_meanwhile_is_kept_as_a_draft(member, member_client):
    from forum.models import Draft

    thread = ThreadFactory(is_locked=True)
    response = member_client.post(
        reverse("forum:reply_create", args=[thread.pk]), {"body": "Min lange tekst"}
    )
    assert response["Location"] == reverse("forum:draft_list")
    assert Draft.objects.get(user=member, thread=thread).body == "Min lange tekst"


def test_invalid_utf8_in_a_post_is_not_a_server_error(member_client):
    thread = ThreadFactory()
    response = member_client.post(
        reverse("forum:reply_create", args=[thread.pk]),
        data=b"body=%FF%FEhej&submission_key=k",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)


def test_danish_text_is_marked_danish_on_english_pages(client_for):
    """Screen readers pronounce text by its lang: /en/ pages are lang="en", so
    what members wrote in Danish carries lang="da" (and names dir="auto")."""
    from django.utils import translation

    category = CategoryFactory(read_access=Access.EVERYONE, name="Spørgsmål", slug="sporgsmal")
    dane = UserFactory(language="da", display_name="Søren Østergaard")
    thread = services.start_thread(
        category=category, author=dane, title="Hvad koster en revisor?", kind="question",
        body="Jeg har fået et tilbud.",
    )  # fmt: skip
    services.post_reply(thread=thread, author=UserFactory(language="en"), body="Ask around.")
    client = client_for(UserFactory(language="en"))
    with translation.override("en"):
        detail, listing = thread.get_absolute_url(), reverse("forum:latest")
    page = client.get(detail).text
    assert '<html lang="en">' in page
    assert '<span lang="da" dir="auto">Hvad koster en revisor?</span>' in page
    assert '<div class="card-body post-body" lang="da"><p>Jeg har fået et tilbud.</p>' in page
    assert '<div class="card-body post-body" lang="en"><p>Ask around.</p>' in page
    assert 'lang="da" dir="auto">Søren Østergaard</a>' in page
    assert 'lang="da" dir="auto">Hvad koster en revisor?</a>' in client.get(listing).text
