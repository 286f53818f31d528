import pytest

from forum import services
from forum.models import Category, Post, Tag, Thread, ThreadRead
from tests.factories import CategoryFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_start_thread_creates_the_first_post_and_counts():
    category = CategoryFactory()
    author = UserFactory()
    thread = services.start_thread(
        category=category,
        author=author,
        title="Moms på ydelser?",
        kind="question",
        body="**Hjælp**",
        tags=["moms", "EU", "Moms"],
    )
    assert thread.slug == "moms-på-ydelser"
    first = thread.posts.get()
    assert (first.number, first.body_html) == (1, "<p><strong>Hjælp</strong></p>")
    assert sorted(t.slug for t in thread.tags.all()) == ["eu", "moms"]
    category.refresh_from_db()
    assert (category.thread_count, category.post_count) == (1, 1)
    assert ThreadRead.objects.get(user=author, thread=thread).last_read_number == 1


def test_start_thread_twice_with_the_same_submission_key_creates_one():
    category, author = CategoryFactory(), UserFactory()
    kwargs = {"category": category, "author": author, "title": "T", "kind": "question"}
    first = services.start_thread(**kwargs, body="a", submission_key="k")
    second = services.start_thread(**kwargs, body="a", submission_key="k")
    assert first == second
    assert Thread.objects.count() == 1


def test_post_reply_numbers_counts_and_first_answer_time():
    thread = ThreadFactory()
    replier = UserFactory()
    post = services.post_reply(thread=thread, author=replier, body="Svar")
    thread.refresh_from_db()
    assert post.number == 2
    assert thread.reply_count == 1
    assert thread.last_poster == replier
    assert thread.first_reply_at == post.created_at
    own = services.post_reply(thread=thread, author=thread.author, body="Tak")
    assert own.number == 3
    thread.refresh_from_db()
    assert thread.first_reply_at == post.created_at


def test_the_askers_own_reply_is_not_a_first_answer():
    thread = ThreadFactory()
    services.post_reply(thread=thread, author=thread.author, body="Opdatering")
    thread.refresh_from_db()
    assert thread.first_reply_at is None


def test_a_double_submitted_reply_is_posted_once():
    thread, replier = ThreadFactory(), UserFactory()
    first = services.post_reply(thread=thread, author=replier, body="x", submission_key="abc")
    second = services.post_reply(thread=thread, author=replier, body="x", submission_key="abc")
    assert first == second
    assert Post.objects.filter(thread=thread).count() == 2
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_accept_and_unaccept_answer():
    thread = ThreadFactory(kind="question")
    answer = services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    services.accept_answer(thread=thread, post=answer)
    assert Thread.objects.solved().get() == thread
    assert not Thread.objects.unsolved().exists()
    services.unaccept_answer(thread=thread)
    assert Thread.objects.unsolved().get() == thread


def test_the_question_itself_cannot_be_the_answer():
    thread = ThreadFactory(kind="question")
    with pytest.raises(ValueError):
        services.accept_answer(thread=thread, post=thread.posts.get())


def test_mark_read_never_moves_backwards():
    thread, reader = ThreadFactory(), UserFactory()
    services.mark_read(user=reader, thread=thread, number=5)
    services.mark_read(user=reader, thread=thread, number=2)
    assert ThreadRead.objects.get(user=reader, thread=thread).last_read_number == 5


def test_unanswered_lists_questions_without_replies():
    waiting = ThreadFactory(kind="question")
    answered = ThreadFactory(kind="question")
    ThreadFactory(kind="discussion")
    services.post_reply(thread=answered, author=UserFactory(), body="Svar")
    assert list(Thread.objects.unanswered()) == [waiting]


def test_parse_tags():
    assert services.parse_tags("moms, Moms ; EU,, ApS") == ["moms", "EU", "ApS"]


def test_default_categories_exist():
    slugs = set(Category.objects.values_list("slug", flat=True))
    assert {"spoergsmaal-og-svar", "annoncer-og-nyheder", "netvaerksansvarlige"} <= slugs
    assert Category.objects.get(slug="netvaerksansvarlige").read_access == "staff"
    assert Category.objects.get(slug="annoncer-og-nyheder").start_access == "staff"


def test_tags_are_reused():
    Tag.objects.create(name="moms", slug="moms")
    services.start_thread(
        category=CategoryFactory(), author=UserFactory(), title="T", kind="question",
        body="b", tags=["Moms"],
    )  # fmt: skip
    assert Tag.objects.count() == 1


def test_threads_and_posts_keep_the_language_their_author_wrote_in():
    dane, brit = UserFactory(language="da"), UserFactory(language="en")
    thread = services.start_thread(
        category=CategoryFactory(), author=dane, title="Moms", kind="question", body="Hjælp"
    )
    reply = services.post_reply(thread=thread, author=brit, body="Register for OSS.")
    assert (thread.language, thread.posts.get(number=1).language) == ("da", "da")
    assert reply.language == "en"
    # Written is written: a later change of the author's language changes nothing.
    brit.language = "da"
    brit.save()
    services.edit_post(post=reply, editor=brit, body="Register for OSS, please.")
    reply.refresh_from_db()
    assert reply.language == "en"
