"""The personal digest ("Din uge i netværket"): its sections, who sees what,
frequency and sending each period once, language, the setting and unsubscribing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forum import services as forum_services
from forum.models import Access, CategoryFollow, SearchSynonym, TagFollow
from moeder.models import Answer
from needs.models import NeedStatus
from notifications import digest
from notifications.models import DigestFrequency, DigestSent, DigestSetting, Notification
from tests.factories import (
    CategoryFactory,
    PostFactory,
    SkillFactory,
    TagFactory,
    ThreadFactory,
    UserFactory,
)
from tests.moeder.factories import MeetupFactory, RsvpFactory
from tests.needs.factories import NeedFactory, SupportFactory

pytestmark = pytest.mark.django_db


def _sections(user, now=None):
    """The digest built for `user` now: {section name: items}."""
    now = now or timezone.now()
    users = digest._load(digest.recipients().filter(pk=user.pk))
    built = digest.build(users, now)
    return {s.name: s.items for s in built[0].sections} if built else {}


def _solve(thread, body="Brug omvendt betalingspligt.\nSå er momsen på plads.\nTak."):
    answer = PostFactory(thread=thread, body=body)
    forum_services.accept_answer(thread=thread, post=answer)
    thread.refresh_from_db()
    return answer


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the digests as the worker does: the mails go once the batch commits."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return digest.send_personal_digests(**kwargs)

    return run


def _nothing_else():
    """A member with nothing for them: no skills, follows, region or support."""
    return UserFactory(region="")


# --- Sections -------------------------------------------------------------------------


def test_questions_match_skills_by_danish_stems_and_synonyms():
    SearchSynonym.objects.create(terms="moms, merværdiafgift")
    member = UserFactory(
        region="", skills=[SkillFactory(name="Merværdiafgift"), SkillFactory(name="Regnskab")]
    )
    stemmed = ThreadFactory(title="Hvem kan læse regnskabet for mig?")
    synonym = ThreadFactory(title="Moms ved EU-salg")
    tagged = ThreadFactory(title="Fakturering til Tyskland")
    tagged.tags.add(TagFactory(name="moms"))
    unrelated = ThreadFactory(title="Hvor finder jeg en revisor?")
    answered = ThreadFactory(title="Moms på kurser", reply_count=1)
    own = ThreadFactory(title="Min egen momsregnskab", author=member)

    found = _sections(member)["forum.questions"]
    assert set(found) == {stemmed, synonym, tagged}
    assert unrelated not in found and answered not in found and own not in found


def test_questions_only_from_categories_the_member_may_read():
    member = UserFactory(region="", skills=[SkillFactory(name="moms")])
    moderator = UserFactory(region="", roles=["moderator"], totp=True, skills=[member.skills.get()])
    staff = ThreadFactory(title="Moms intern", category=CategoryFactory(read_access=Access.STAFF))
    members_only = ThreadFactory(
        title="Moms for medlemmer", category=CategoryFactory(read_access=Access.MEMBERS)
    )
    hidden = ThreadFactory(title="Moms skjult", state="hidden")

    assert set(_sections(member)["forum.questions"]) == {members_only}
    assert set(_sections(moderator)["forum.questions"]) == {members_only, staff}
    assert hidden not in _sections(moderator)["forum.questions"]


def test_newly_solved_threads_in_followed_categories_and_tags_with_the_answer():
    member = _nothing_else()
    category, tag = CategoryFactory(), TagFactory(name="eksport")
    CategoryFollow.objects.create(user=member, category=category)
    TagFollow.objects.create(user=member, tag=tag)
    in_category = ThreadFactory(category=category)
    with_tag = ThreadFactory()
    with_tag.tags.add(tag)
    elsewhere = ThreadFactory()
    unsolved = ThreadFactory(category=category)
    staff_only = ThreadFactory(category=CategoryFactory(read_access=Access.STAFF))
    CategoryFollow.objects.create(user=member, category=staff_only.category)
    for thread in (in_category, with_tag, elsewhere, staff_only):
        _solve(thread)

    found = _sections(member)["forum.solved"]
    assert set(found) == {in_category, with_tag}
    assert unsolved not in found
    assert found[0].digest_answer.startswith("Brug omvendt betalingspligt. Så er momsen")


def test_a_thread_solved_before_the_period_is_not_new():
    member = _nothing_else()
    thread = ThreadFactory()
    CategoryFollow.objects.create(user=member, category=thread.category)
    _solve(thread)
    assert _sections(member, now=timezone.now() + timedelta(days=8)) == {}
    daily = _nothing_else()
    DigestSetting.objects.create(user=daily, frequency=DigestFrequency.DAILY)
    CategoryFollow.objects.create(user=daily, category=thread.category)
    assert _sections(daily, now=timezone.now() + timedelta(days=2)) == {}
    assert _sections(daily, now=timezone.now() + timedelta(hours=2))["forum.solved"] == [thread]


def test_meetups_in_my_region_in_three_weeks_that_i_have_not_answered():
    member = UserFactory(region="midtjylland")
    mine = MeetupFactory(regions=["midtjylland"])
    everyone = MeetupFactory(regions=[])
    MeetupFactory(regions=["hovedstaden"])
    answered = MeetupFactory()
    RsvpFactory(meetup=answered, member=member, answer=Answer.NO)
    MeetupFactory(starts_at=timezone.now() + timedelta(days=30),
                  ends_at=timezone.now() + timedelta(days=30, hours=2))  # fmt: skip
    MeetupFactory(status="draft")
    MeetupFactory(status="cancelled")

    items = _sections(member)["moeder.meetups"]
    assert [i["meetup"] for i in items] == sorted(
        [mine, everyone], key=lambda m: (m.starts_at, m.pk)
    )


def test_the_meetup_links_are_the_signed_one_click_answers(client, mailoutbox, send):
    from urllib.parse import parse_qs, urlsplit

    from django.urls import resolve

    from moeder.notify import read_rsvp_token

    member = UserFactory(region="midtjylland")
    meetup = MeetupFactory(regions=["midtjylland"])
    assert send() == 1
    links = {}
    for line in mailoutbox[0].body.splitlines():
        label, _sep, url = line.strip().partition(": ")
        if label in ("Ja", "Måske", "Nej"):
            links[label] = url
    assert set(links) == {"Ja", "Måske", "Nej"}
    for label, answer in (("Ja", "yes"), ("Måske", "maybe"), ("Nej", "no")):
        bits = urlsplit(links[label])
        match = resolve(bits.path)
        assert match.view_name == "moeder:rsvp_token"  # the invitations' links
        assert read_rsvp_token(match.kwargs["token"]) == (member, meetup)
        assert parse_qs(bits.query) == {"svar": [answer]}
    bits = urlsplit(links["Måske"])
    response = client.get(f"{bits.path}?{bits.query}")
    assert response.status_code == 200
    assert meetup.title in response.text


def test_needs_i_support_whose_status_changed():
    member = _nothing_else()
    planned = SupportFactory(member=member).need
    untouched = SupportFactory(member=member).need
    not_mine = NeedFactory()
    own = NeedFactory(author=member)
    SupportFactory(need=own, member=member)
    from needs.models import Need

    Need.objects.filter(pk__in=[planned.pk, not_mine.pk, own.pk]).update(
        status=NeedStatus.PLANNED, updated_at=timezone.now()
    )
    items = _sections(member)["needs.changed"]
    assert [i["need"] for i in items] == [planned]
    assert untouched not in [i["need"] for i in items]


def test_a_member_with_nothing_gets_no_mail(mailoutbox, send):
    _nothing_else()
    ThreadFactory()
    assert send() == 0
    assert mailoutbox == []
    assert not DigestSent.objects.exists()


# --- Sending --------------------------------------------------------------------------


def test_only_sections_with_content_are_in_the_mail_with_absolute_links(mailoutbox, send):
    member = UserFactory(region="", skills=[SkillFactory(name="moms")])
    ThreadFactory(title="Spørgsmål om moms & <moms>")
    assert send() == 1
    (mail,) = mailoutbox
    ((html, mimetype),) = mail.alternatives
    assert mimetype == "text/html"
    assert "Spørgsmål om moms &amp; &lt;moms&gt;" in html
    assert "Spørgsmål om moms & <moms>" in mail.body  # plain text is not escaped
    assert mail.subject == "Din uge i netværket"
    assert mail.to == [member.email]
    assert "Spørgsmål du kan hjælpe med" in mail.body
    assert "Spørgsmål om moms" in mail.body
    assert "Nyt løst" not in mail.body and "Møder" not in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/varsler/oversigt/afmeld/" in mail.extra_headers["List-Unsubscribe"]


def test_in_the_members_language(mailoutbox, send):
    UserFactory(region="", language="en", skills=[SkillFactory(name="moms")])
    ThreadFactory(title="Spørgsmål om moms")
    send()
    assert mailoutbox[0].subject == "Your week in the network"
    assert "Questions you can help with" in mailoutbox[0].body


def test_weekly_once_a_week_and_daily_once_a_day(mailoutbox, send):
    weekly = UserFactory(region="", skills=[SkillFactory(name="moms")])
    daily = UserFactory(region="", skills=[weekly.skills.get()])
    DigestSetting.objects.create(user=daily, frequency=DigestFrequency.DAILY)
    never = UserFactory(region="", skills=[weekly.skills.get()])
    DigestSetting.objects.create(user=never, frequency=DigestFrequency.NEVER)
    ThreadFactory(title="Moms igen")
    now = timezone.localtime()
    # The coming Monday morning, Danish time (after the question was asked).
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=6, minute=30)

    def sent_to(at):
        mailoutbox.clear()
        send(now=at)
        return {m.to[0] for m in mailoutbox}

    assert sent_to(monday) == {weekly.email, daily.email}
    assert sent_to(monday + timedelta(hours=1)) == set()  # the same period: nothing twice
    assert sent_to(monday + timedelta(days=1)) == {daily.email}
    assert sent_to(monday + timedelta(days=1, hours=3)) == set()
    assert sent_to(monday + timedelta(days=7)) == {weekly.email, daily.email}
    assert DigestSent.objects.filter(user=weekly).count() == 2


def test_it_replaces_the_daily_summary_that_day(mailoutbox, django_capture_on_commit_callbacks):
    member = UserFactory(region="", notification_email="daily", skills=[SkillFactory(name="moms")])
    ThreadFactory(title="Moms og fradrag")
    note = Notification.objects.create(recipient=member, kind="notice", message="Hej fra os")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--now")
    assert len(mailoutbox) == 1  # one mail that morning, not two
    assert "Hej fra os" in mailoutbox[0].body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_no_notification_mail_means_no_digest_unless_chosen(mailoutbox, send):
    member = UserFactory(region="", notification_email="never", skills=[SkillFactory(name="moms")])
    ThreadFactory(title="Moms")
    assert send() == 0
    DigestSetting.objects.create(user=member, frequency=DigestFrequency.WEEKLY)
    assert send() == 1


@pytest.mark.parametrize("count", [1, 12])
def test_building_a_batch_takes_a_fixed_number_of_queries(django_assert_max_num_queries, count):
    skill = SkillFactory(name="moms")
    category, tag = CategoryFactory(), TagFactory()
    meetup = MeetupFactory(regions=[])
    members = []
    for _i in range(count):
        user = UserFactory(skills=[skill])
        members.append(user)
        CategoryFollow.objects.create(user=user, category=category)
        TagFollow.objects.create(user=user, tag=tag)
        SupportFactory(member=user, need__status=NeedStatus.MET)
        RsvpFactory(meetup=MeetupFactory(), member=user)
    _solve(ThreadFactory(category=category, title="Moms løst"))
    ThreadFactory(title="Moms venter")
    UserFactory(roles=["moderator"], totp=True, skills=[skill])
    now = timezone.now()
    with django_assert_max_num_queries(20):  # + viden: follows (2), cards and their tags
        users = digest._load(digest._due(now))
        built = digest.build(users, now)
    sections = {d.user.pk: {s.name for s in d.sections} for d in built}
    assert meetup
    for user in members:
        assert sections[user.pk] == {
            "forum.questions",
            "forum.solved",
            "moeder.meetups",
            "needs.changed",
        }


# --- The setting and unsubscribing ----------------------------------------------------


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("member", 200), ("moderator", 200)])
def test_the_settings_page_is_for_members_and_their_own_setting(client_for, role, status):
    user = None if role == "anonymous" else UserFactory(roles=[] if role == "member" else [role])
    client = client_for(user)
    url = reverse("notifications:digest_settings")
    response = client.get(url)
    assert response.status_code == status
    if user is not None:
        assert "Den sendes kun, når der er noget til dig." in response.text
        assert client.post(url, {"frequency": "daily"}).status_code == 302
        assert digest.frequency_of(user) == "daily"
        assert DigestSetting.objects.count() == 1


def test_one_click_unsubscribe_without_logging_in(client):
    user = UserFactory()
    url = reverse("notifications:digest_unsubscribe", args=[digest.unsubscribe_token(user)])
    assert user.email in client.get(url).text
    assert digest.frequency_of(user) == "weekly"  # GET changes nothing
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert digest.frequency_of(user) == "never"
    user.refresh_from_db()
    assert user.notification_email == "immediately"  # only the digest


def test_unsubscribe_tokens_are_per_member_and_not_the_notification_ones(client):
    from notifications import services

    user = UserFactory()
    forged = reverse("notifications:digest_unsubscribe", args=["forfalsket"])
    assert client.post(forged).status_code == 404
    other = reverse("notifications:digest_unsubscribe", args=[services.unsubscribe_token(user)])
    assert client.post(other).status_code == 404


def test_a_parallel_run_of_the_same_period_sends_nobody_twice(monkeypatch, mailoutbox, send):
    skill = SkillFactory(name="moms")
    first, second = UserFactory(region="", skills=[skill]), UserFactory(region="", skills=[skill])
    ThreadFactory(title="Moms")
    now = timezone.now()
    DigestSent.objects.create(user=first, period=digest.period_of("weekly", now))
    # As if the other run recorded `first` after this one chose whom to send to.
    monkeypatch.setattr(digest, "_due", lambda now: digest.recipients())
    assert send(now=now) == 1
    assert [m.to for m in mailoutbox] == [[second.email]]


def test_inactive_suspended_and_erased_members_get_none(mailoutbox, send):
    from accounts.models import Sanction

    skill = SkillFactory(name="moms")
    UserFactory(region="", skills=[skill], is_active=False)
    UserFactory(region="", skills=[skill], erased_at=timezone.now())
    suspended = UserFactory(region="", skills=[skill])
    Sanction.objects.create(user=suspended, kind="suspend", reason="Spam")
    ThreadFactory(title="Moms")
    assert send() == 0


def test_the_daily_summary_still_goes_when_the_digest_would_be_empty(
    mailoutbox, django_capture_on_commit_callbacks
):
    member = UserFactory(region="", notification_email="daily")
    Notification.objects.create(recipient=member, kind="notice", message="Hej fra os")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--now")
    assert len(mailoutbox) == 1
    assert "Din uge" not in mailoutbox[0].subject
    assert not DigestSent.objects.exists()


# --- "Din oversigt": the digest as a page ------------------------------------------------


def test_the_overview_page_shows_the_digest_sections(client):
    member = UserFactory(region="midtjylland", skills=[SkillFactory(name="moms")])
    question = ThreadFactory(title="Moms ved EU-salg")
    meetup = MeetupFactory(regions=["midtjylland"])
    client.force_login(member)
    response = client.get(reverse("notifications:digest_overview"))
    assert response.status_code == 200
    assert question.title in response.text and meetup.title in response.text
    assert reverse("notifications:digest_overview") in client.get("/").text  # in the menu


def test_the_overview_never_shows_what_the_member_may_not_read(client):
    member = UserFactory(region="", skills=[SkillFactory(name="moms")])
    staff = ThreadFactory(title="Moms intern", category=CategoryFactory(read_access=Access.STAFF))
    hidden = ThreadFactory(title="Moms skjult", state="hidden")
    members_only = ThreadFactory(
        title="Moms for medlemmer", category=CategoryFactory(read_access=Access.MEMBERS)
    )
    client.force_login(member)
    text = client.get(reverse("notifications:digest_overview")).text
    assert members_only.title in text
    assert staff.title not in text and hidden.title not in text


def test_the_overview_is_there_for_a_member_who_chose_no_digest(client):
    member = UserFactory(region="", skills=[SkillFactory(name="moms")])
    DigestSetting.objects.create(user=member, frequency=DigestFrequency.NEVER)
    question = ThreadFactory(title="Moms igen")
    client.force_login(member)
    assert question.title in client.get(reverse("notifications:digest_overview")).text


def test_the_overview_when_there_is_nothing(client):
    client.force_login(_nothing_else())
    response = client.get(reverse("notifications:digest_overview"))
    assert response.status_code == 200
    assert "Nothing new for you right now" in response.text or "Intet nyt" in response.text


def test_the_overview_needs_a_login(client):
    response = client.get(reverse("notifications:digest_overview"))
    assert response.status_code == 302


def test_the_digest_mail_links_to_the_overview(mailoutbox, send):
    UserFactory(region="midtjylland")
    MeetupFactory(regions=["midtjylland"])
    assert send() == 1
    url = digest.overview_url()
    assert url.startswith("http") and url in mailoutbox[0].body
    assert url in mailoutbox[0].alternatives[0][0]
