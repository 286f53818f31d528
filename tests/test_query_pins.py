"""A query pin for each page that had none: loaded with 1 and with 25 rows,
the page stays under one cap (README: a fixed number of queries per page)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services as forum_services
from forum.models import Access, Draft, FailedSearch, SearchSynonym
from tests.conftest import make_user
from tests.factories import CategoryFactory, TagFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def _tag_page(count, user):
    tag = TagFactory(name="moms", slug="moms")
    category = CategoryFactory(read_access=Access.EVERYONE)
    for thread in ThreadFactory.create_batch(count, category=category):
        thread.tags.add(tag)
    return reverse("forum:tag_detail", args=["moms"])


def _public_threads(count):
    category = CategoryFactory(read_access=Access.EVERYONE, slug="offentlig")
    tag = TagFactory(name="moms", slug="moms")
    for thread in ThreadFactory.create_batch(count, category=category):
        thread.tags.add(tag)


def _category_feed(count, user):
    _public_threads(count)
    return reverse("forum:category_feed", args=["offentlig"])


def _tag_feed(count, user):
    _public_threads(count)
    return reverse("forum:tag_feed", args=["moms"])


def _index_for_leaders(count, user):
    from moderation.services import delete_thread, hide_thread

    for category in CategoryFactory.create_batch(count):
        hidden, deleted, _listed = ThreadFactory.create_batch(3, category=category)
        hide_thread(thread=hidden, actor=user, reason="x")
        delete_thread(thread=deleted, actor=user, reason="x")
    return reverse("forum:index")


def _category_list(count, user):
    CategoryFactory.create_batch(count)
    return reverse("forum:category_list")


def _draft_list(count, user):
    for thread in ThreadFactory.create_batch(count):
        Draft.objects.create(user=user, thread=thread, body="Halvt svar")
    return reverse("forum:draft_list")


def _failed_searches(count, user):
    FailedSearch.objects.bulk_create(FailedSearch(text=f"ord {n}") for n in range(count))
    return reverse("forum:failed_search_list")


def _synonyms(count, user):
    SearchSynonym.objects.bulk_create(SearchSynonym(terms=f"moms{n}, vat{n}") for n in range(count))
    return reverse("forum:synonym_list")


def _post_history(count, user):
    thread = ThreadFactory(author=user)
    post = thread.posts.get()
    for n in range(count):
        forum_services.edit_post(post=post, editor=user, body=f"Ny tekst {n}", reason="ret")
    return reverse("forum:post_history", args=[post.pk])


def _similar(count, user):
    category = CategoryFactory(read_access=Access.EVERYONE)
    for n in range(count):
        ThreadFactory(category=category, title=f"Moms og regnskab {n}")
    return reverse("forum:similar") + "?title=moms+regnskab"


def _thread_create(count, user):
    CategoryFactory.create_batch(count)
    return reverse("forum:thread_create")


def _reply_create(count, user):
    thread = ThreadFactory()
    for _n in range(count):
        forum_services.post_reply(thread=thread, author=UserFactory(), body="Svar")
    return reverse("forum:reply_create", args=[thread.pk])


def _moderation_index(count, user):
    ThreadFactory.create_batch(count)
    return reverse("moderation:index")


def _moderation_member(count, user):
    member = UserFactory()
    for _n in range(count):
        ThreadFactory(author=member)
    return reverse("moderation:member_detail", args=[member.pk])


def _category_moderators(count, user):
    from forum.models import CategoryModerator

    for category in CategoryFactory.create_batch(count):
        CategoryModerator.objects.create(category=category, user=UserFactory())
    return reverse("moderation:category_moderators")


def _guidelines(count, user):
    return reverse("accounts:guidelines")


def _mine(count, user):
    for meetup in MeetupFactory.create_batch(count):
        RsvpFactory(meetup=meetup, member=user)
    return reverse("moeder:mine")


def _past(count, user):
    start = timezone.now() - timedelta(days=30)
    MeetupFactory.create_batch(count, starts_at=start, ends_at=start + timedelta(hours=2))
    return reverse("moeder:past")


def _my_attendance(count, user):
    start = timezone.now() - timedelta(days=30)
    for meetup in MeetupFactory.create_batch(
        count, starts_at=start, ends_at=start + timedelta(hours=2)
    ):
        RsvpFactory(meetup=meetup, member=user, checked_in_at=start)
    return reverse("moeder:my_attendance")


def _meetup_answers(count, user):
    meetup = MeetupFactory(created_by=user)
    RsvpFactory.create_batch(count, meetup=meetup)
    return reverse("moeder:meetup_answers", args=[meetup.pk])


def _public_feed(count, user):
    MeetupFactory.create_batch(count)
    return reverse("moeder:public_feed")


def _calendar_settings(count, user):
    MeetupFactory.create_batch(count)
    return reverse("moeder:calendar_feed_settings")


def _outcome_edit(count, user):
    thread = ThreadFactory(author=user, kind="question")
    replies = [
        forum_services.post_reply(thread=thread, author=UserFactory(), body=f"Svar {n}")
        for n in range(count)
    ]
    forum_services.accept_answer(thread=thread, post=replies[-1])
    return reverse("forum:outcome_edit", args=[thread.pk])


def _welcome(count, user):
    from tests.duties.factories import DutyFactory, DutySlotFactory

    duty = DutyFactory(name="Velkomstvært")
    now = timezone.now()
    for n in range(count):
        DutySlotFactory(
            duty=duty, member=UserFactory(), starts_at=now - timedelta(minutes=60 + n),
            ends_at=now + timedelta(hours=1),
        )  # fmt: skip
    ThreadFactory.create_batch(count, author=user)
    return reverse("velkomst:welcome")


def _kaffe_index(count, user):
    from datetime import date

    from kaffe import services as kaffe_services

    kaffe_services.join(member=user, place="online")
    for n in range(count):  # one pair a month, with someone new each time
        other = UserFactory()
        kaffe_services.join(member=other, place="online")
        kaffe_services.run_round(today=date(2000 + n, 1, 1), send=False)
        kaffe_services.leave(member=other)
    return reverse("kaffe:index")


def _kaffe_counts(count, user):
    from datetime import date

    from kaffe.models import CoffeeRound

    for n in range(count):
        CoffeeRound.objects.create(month=date(2000 + n, 1, 1), signed_up=n)
    return reverse("kaffe:counts")


def _digest_overview(count, user):
    from forum.models import CategoryFollow
    from tests.factories import PostFactory, SkillFactory

    user.region = "midtjylland"
    user.save(update_fields=["region"])
    user.skills.add(SkillFactory(name="moms"))
    category = CategoryFactory()
    CategoryFollow.objects.create(user=user, category=category)
    ThreadFactory.create_batch(count, title="Moms igen")
    for thread in ThreadFactory.create_batch(count, category=category):
        forum_services.accept_answer(thread=thread, post=PostFactory(thread=thread))
    MeetupFactory.create_batch(count, regions=["midtjylland"])
    return reverse("notifications:digest_overview")


def _solved_cards(count, user):
    from viden import services as viden_services

    cards = []
    for thread in ThreadFactory.create_batch(count, author=user):
        from tests.factories import PostFactory

        forum_services.accept_answer(thread=thread, post=PostFactory(thread=thread))
        cards.append(
            viden_services.create_card(
                thread=thread, author=user, title=thread.title, body="Svar", tags_text="moms, eu"
            )
        )
    return cards


def _card_list(count, user):
    _solved_cards(count, user)
    return reverse("viden:card_list")


def _card_history(count, user):
    from viden import services as viden_services

    card = _solved_cards(1, user)[0]
    for n in range(count):
        viden_services.edit_card(card=card, editor=user, title=card.title, body=f"Ny {n}")
    return reverse("viden:card_history", args=[card.pk])


def _card_detail(count, user):
    from viden.models import CardSource

    cards = _solved_cards(count, user)
    for card in cards[1:]:
        CardSource.objects.create(card=cards[0], thread=card.threads.get())
    return cards[0].get_absolute_url()


def _sent_letters(count, user):
    from letters import services as letter_services
    from letters.models import Letter

    for n in range(count):
        letter = letter_services.create_letter(
            author=user, title=f"Brev {n}", intro="Hej", body="", audience="public", picked={}
        )
        Letter.objects.filter(pk=letter.pk).update(status="sent", sent_at=timezone.now())
    return reverse("letters:letter_list")


def _letter_detail(count, user):
    from letters import services as letter_services
    from tests.factories import PostFactory
    from tests.needs.factories import NeedFactory

    threads = ThreadFactory.create_batch(count)
    for thread in threads:
        forum_services.accept_answer(thread=thread, post=PostFactory(thread=thread))
    letter = letter_services.create_letter(
        author=user,
        title="Brev",
        intro="Hej",
        body="Mere",
        audience="public",
        picked={
            "threads": threads,
            "meetups": MeetupFactory.create_batch(count),
            "needs": NeedFactory.create_batch(count),
            "cards": [c for c in _solved_cards(count, user)],
        },
    )
    return letter.get_absolute_url()


def _home(count, user):
    MeetupFactory.create_batch(count)
    ThreadFactory.create_batch(count)
    return reverse("home")


def _meetup_detail(count, user):
    from moeder import services as moeder_services

    meetup = MeetupFactory()
    for _n in range(count):
        moeder_services.answer(meetup=meetup, member=UserFactory(), answer="yes")
    return meetup.get_absolute_url()


# page: (who looks, how to fill it, the cap)
def _network_health(count, user):
    from moderation.models import Flag, FlagReason
    from relay.models import RelayRequest, Step

    now = timezone.now()
    for thread in ThreadFactory.create_batch(count, kind="question"):
        thread.first_reply_at = now
        thread.reply_count = 1
        thread.save()
        Flag.objects.create(post=thread.posts.get(), flagger=user, reason=FlagReason.SPAM)
        RsvpFactory(checked_in_at=now - timedelta(days=1))
        RelayRequest.objects.create(
            thread=thread, member=UserFactory(), step=Step.RELAY, asked_at=now, answered_at=now
        )
    return reverse("indsigt:network_health")


def _mailing_list(count, user):
    from forum.models import CategoryMailing

    for category in CategoryFactory.create_batch(count):
        CategoryMailing.objects.create(user=user, category=category)
    return reverse("forum:mailing_list_settings")


def _import_runs(count, user):
    from imports.models import ImportRun

    category = CategoryFactory()
    for i in range(count):
        ImportRun.objects.create(
            format="mbox", source_name=f"liste{i}.mbox", category=category, started_by=user
        )
    return reverse("imports:run_list")


def _import_run(count, user):
    from imports.models import ImportRun

    run = ImportRun.objects.create(
        format="mbox",
        source_name="liste.mbox",
        category=CategoryFactory(),
        started_by=user,
        state="done",
        report={
            "skipped": [["<a@b>", "bounce"]] * count,
            "warnings": [],
            "attachments": [["<a@b>", "x.pdf"]] * count,
        },
    )
    return run.get_absolute_url()


def _reported_messages(count):
    from notifications import conversations, reports

    anna, bo = UserFactory(), UserFactory()
    conversation = conversations.start_conversation(
        author=anna, recipients=[bo], subject="Emne", body="Hej"
    )
    made = []
    for n in range(count):
        message = conversations.post_message(conversation=conversation, author=bo, body=f"B {n}")
        made.append(reports.report_message(message=message, reporter=anna, reason="Grimt"))
    return made


def _report_list(count, user):
    _reported_messages(count)
    return reverse("conversations:report_list")


def _report_detail(count, user):
    return _reported_messages(count)[-1].get_absolute_url()


PAGES = {
    "forum:mailing_list_settings": ("member", _mailing_list, 6),
    "imports:run_list": ("network_leader", _import_runs, 6),
    "imports:run_detail": ("network_leader", _import_run, 5),
    "home": ("member", _home, 8),
    "moeder:meetup_detail": ("member", _meetup_detail, 8),
    "conversations:report_list": ("moderator", _report_list, 8),
    "conversations:report_detail": ("moderator", _report_detail, 9),
    "forum:tag_detail": ("member", _tag_page, 8),
    "forum:category_feed": ("anonymous", _category_feed, 3),
    "forum:tag_feed": ("anonymous", _tag_feed, 3),
    "forum:category_list": ("network_leader", _category_list, 6),
    "forum:index": ("network_leader", _index_for_leaders, 5),  # with the removed counts
    "forum:draft_list": ("member", _draft_list, 6),
    "forum:failed_search_list": ("network_leader", _failed_searches, 6),
    "forum:synonym_list": ("network_leader", _synonyms, 6),
    "forum:post_history": ("member", _post_history, 8),
    "forum:similar": ("member", _similar, 13),  # + viden's cards (2) and compound splitting (1)
    "forum:thread_create": ("member", _thread_create, 8),
    "forum:reply_create": ("member", _reply_create, 8),
    "forum:outcome_edit": ("member", _outcome_edit, 6),
    "velkomst:welcome": ("member", _welcome, 24),  # the first visit finds the greeters
    "kaffe:index": ("member", _kaffe_index, 8),
    "kaffe:counts": ("network_leader", _kaffe_counts, 7),
    "moderation:index": ("moderator", _moderation_index, 12),
    "moderation:member_detail": ("moderator", _moderation_member, 14),
    "moderation:category_moderators": ("network_leader", _category_moderators, 8),
    "accounts:guidelines": ("member", _guidelines, 6),
    "moeder:mine": ("member", _mine, 8),
    "moeder:past": ("member", _past, 8),
    "moeder:my_attendance": ("member", _my_attendance, 8),
    "moeder:meetup_answers": ("organiser", _meetup_answers, 10),
    "moeder:public_feed": ("anonymous", _public_feed, 4),
    "moeder:calendar_feed_settings": ("member", _calendar_settings, 6),
    "indsigt:network_health": ("network_leader", _network_health, 25),
}


def _relay_ask_member(count, user):
    CategoryFactory.create_batch(count)
    return reverse("relay:ask_member", args=[UserFactory().pk])


def _relay_decline(count, user):
    from relay import services as relay_services
    from relay.models import RelayRequest

    thread = ThreadFactory()
    for member in UserFactory.create_batch(count):
        RelayRequest.objects.create(thread=thread, member=member, step="relay")
    request = RelayRequest.objects.order_by("pk").first()
    return reverse("relay:decline", args=[relay_services.decline_token(request)])


def _member_list_by_help(count, user):
    from tests.relay.conftest import helper

    for _ in range(count):
        helper("moms")
    return reverse("accounts:member_list") + "?q=momsregistrering"


PAGES |= {
    "relay:ask_member": ("member", _relay_ask_member, 10),
    "relay:decline": ("anonymous", _relay_decline, 4),
    "accounts:member_list?q=": ("member", _member_list_by_help, 12),
    "notifications:digest_overview": ("member", _digest_overview, 24),
    "viden:card_list": ("member", _card_list, 6),
    "viden:card_history": ("member", _card_history, 6),
    "viden:card_detail": ("member", _card_detail, 7),
    "letters:letter_list": ("member", _sent_letters, 6),
    "letters:letter_detail": ("network_leader", _letter_detail, 10),
}


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow(client_for, django_assert_max_num_queries, page, count):
    role, fill, cap = PAGES[page]
    user = make_user(role)
    url = fill(count, user)
    client = client_for(user)
    with django_assert_max_num_queries(cap):
        response = client.get(url)
    assert response.status_code == 200, page
