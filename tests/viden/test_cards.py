"""Knowledge cards: made from a solved thread, history, review reminders, who
reads them (the read rules of their source threads), the list, the search and
thread panels, the digest section and the permission table."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services as forum_services
from forum.models import Access, CategoryFollow, TagFollow
from notifications import digest
from notifications.models import Notification
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory, UserFactory
from viden import services
from viden.models import Card, CardRevision

pytestmark = pytest.mark.django_db


def _solved(author=None, **kwargs):
    thread = ThreadFactory(author=author or UserFactory(), **kwargs)
    answer = PostFactory(thread=thread, body="Brug **omvendt betalingspligt**.")
    forum_services.accept_answer(thread=thread, post=answer)
    thread.refresh_from_db()
    return thread


def _card(thread=None, **kwargs):
    thread = thread or _solved(title="Moms ved EU-salg")
    defaults = {"title": thread.title, "body": "Omvendt betalingspligt."}
    defaults.update(kwargs)
    return services.create_card(thread=thread, author=thread.author, **defaults)


def _form(member, **extra):
    data = {
        "title": "Moms ved salg til EU",
        "body": "Brug omvendt betalingspligt.",
        "tags_text": "moms, eu",
        "owner": f"@{member.handle}",
        "review_by": (timezone.localdate() + timedelta(days=365)).isoformat(),
    }
    data.update(extra)
    return data


def test_the_author_makes_a_card_from_a_solved_thread_prefilled(client):
    thread = _solved(title="Moms ved EU-salg")
    thread.tags.add(TagFactory(name="moms"))
    client.force_login(thread.author)
    page = client.get(reverse("viden:card_create", args=[thread.pk]))
    assert page.status_code == 200
    assert "Moms ved EU-salg" in page.text and "omvendt betalingspligt" in page.text
    assert 'value="moms"' in page.text
    response = client.post(reverse("viden:card_create", args=[thread.pk]), _form(thread.author))
    card = Card.objects.get()
    assert response.status_code == 302 and response["Location"] == card.get_absolute_url()
    assert card.owner == thread.author and card.category == thread.category
    assert list(card.threads.all()) == [thread]
    assert {t.slug for t in card.tags.all()} == {"moms", "eu"}
    assert card.review_by == timezone.localdate() + timedelta(days=365)
    # the thread page links to it
    assert card.get_absolute_url() in client.get(thread.get_absolute_url()).text


def test_no_card_from_an_unsolved_thread_or_by_another_member(client):
    unsolved = ThreadFactory()
    client.force_login(unsolved.author)
    assert client.get(reverse("viden:card_create", args=[unsolved.pk])).status_code == 403
    solved = _solved()
    client.force_login(UserFactory())
    assert client.get(reverse("viden:card_create", args=[solved.pk])).status_code == 403


def test_the_owner_must_be_a_member_and_the_text_survives(client):
    thread = _solved()
    client.force_login(thread.author)
    response = client.post(
        reverse("viden:card_create", args=[thread.pk]),
        _form(thread.author, owner="@ingen-saadan", body="Min tekst bliver"),
    )
    assert response.status_code == 200
    assert "Min tekst bliver" in response.text
    assert not Card.objects.exists()


def test_markdown_in_cards_is_sanitised(client):
    thread = _solved()
    client.force_login(thread.author)
    client.post(
        reverse("viden:card_create", args=[thread.pk]),
        _form(thread.author, body="<script>alert(1)</script>[x](javascript:alert(2)) **ok**"),
    )
    card = Card.objects.get()
    assert "<script" not in card.body_html and "javascript:" not in card.body_html
    assert "<strong>ok</strong>" in card.body_html
    assert "<script>alert" not in client.get(card.get_absolute_url()).text


def test_edits_keep_history_and_the_history_page_shows_it(client):
    card = _card(body="Første udgave")
    editor = card.owner
    services.edit_card(card=card, editor=editor, title=card.title, body="Anden udgave",
                       reason="ny sats")  # fmt: skip
    services.edit_card(card=card, editor=editor, title=card.title, body="Tredje udgave")
    assert list(CardRevision.objects.values_list("number", "body")) == [
        (1, "Første udgave"), (2, "Anden udgave"), (3, "Tredje udgave")
    ]  # fmt: skip
    client.force_login(editor)
    text = client.get(reverse("viden:card_history", args=[card.pk])).text
    assert "Første udgave" in text and "ny sats" in text
    client.force_login(UserFactory())
    assert client.get(reverse("viden:card_history", args=[card.pk])).status_code == 403


def test_review_reminder_once_and_overdue_mark_then_renewal(client):
    card = _card()
    Card.objects.filter(pk=card.pk).update(review_by=timezone.localdate() - timedelta(days=1))
    assert services.send_review_reminders() == 1
    assert services.send_review_reminders() == 0  # once
    reminder = Notification.objects.get(recipient=card.owner)
    assert reminder.link == card.get_absolute_url()
    reader = UserFactory()
    client.force_login(reader)
    assert "Possibly out of date" in client.get(card.get_absolute_url()).text or (
        "Muligvis forældet" in client.get(card.get_absolute_url()).text
    )
    assert client.post(reverse("viden:card_renew", args=[card.pk])).status_code == 403
    client.force_login(card.owner)
    response = client.post(reverse("viden:card_renew", args=[card.pk]))
    assert response.status_code == 302
    card.refresh_from_db()
    assert not card.is_overdue and card.reminded_at is None


def test_cards_follow_the_read_rules_of_their_source_threads(client):
    members_only = _card(
        _solved(title="Moms A", category=CategoryFactory(read_access=Access.MEMBERS))
    )
    staff_only = _card(_solved(title="Moms B", category=CategoryFactory(read_access=Access.STAFF)))
    public = _card(_solved(title="Moms C", category=CategoryFactory(read_access=Access.EVERYONE)))
    hidden_source = _card(_solved(title="Moms D"))
    hidden_source.threads.update(state="hidden")

    def listed(user):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        text = client.get(reverse("viden:card_list")).text
        return {
            c.title for c in (members_only, staff_only, public, hidden_source) if c.title in text
        }

    assert listed(None) == {"Moms C"}
    assert listed(UserFactory()) == {"Moms A", "Moms C"}
    assert listed(UserFactory(roles=["moderator"], totp=True)) == {"Moms A", "Moms B", "Moms C"}
    client.force_login(UserFactory())
    assert client.get(staff_only.get_absolute_url()).status_code == 404
    assert client.get(hidden_source.get_absolute_url()).status_code == 404


def test_the_list_by_topic_and_tag(client):
    card = _card(tags_text="moms")
    other = _card(_solved(title="Revisor i Aarhus"))
    client.force_login(UserFactory())
    text = client.get(reverse("viden:card_list") + "?tag=moms").text
    assert card.title in text and other.title not in text
    assert card.category.name in text
    assert client.get(reverse("viden:card_list") + "?tag=findes-ikke").status_code == 404


def test_a_matching_card_is_shown_above_the_search_results(client):
    card = _card(_solved(title="Moms ved EU-salg"))
    staff = _card(
        _solved(title="Moms hemmelig EU", category=CategoryFactory(read_access=Access.STAFF))
    )
    client.force_login(UserFactory())
    text = client.get(reverse("forum:search"), {"q": "moms eu"}).text
    assert card.get_absolute_url() in text
    assert staff.get_absolute_url() not in text
    assert text.index(card.get_absolute_url()) < text.index('role="status"')


def test_a_card_is_suggested_beside_similar_threads(client):
    card = _card(_solved(title="Moms ved EU-salg"))
    client.force_login(UserFactory())
    text = client.get(reverse("forum:similar"), {"title": "Hvordan med moms ved EU salg?"}).text
    assert card.get_absolute_url() in text


def test_new_cards_in_followed_topics_reach_the_digest():
    member = UserFactory(region="")
    card = _card(tags_text="eksport")
    TagFollow.objects.create(user=member, tag=card.tags.get())
    staff = _card(_solved(category=CategoryFactory(read_access=Access.STAFF)))
    CategoryFollow.objects.create(user=member, category=staff.category)
    users = digest._load(digest.recipients().filter(pk=member.pk))
    built = digest.build(users, timezone.now())
    sections = {s.name: s.items for s in built[0].sections}
    assert sections["viden.cards"] == [card]


CAN_MAKE = {  # from someone else's solved thread
    "anonymous": 302, "member": 403, "organiser": 200, "moderator": 200, "network_leader": 200,
}  # fmt: skip
CAN_EDIT = {
    "anonymous": 302, "member": 403, "organiser": 200, "moderator": 200, "network_leader": 200,
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(client_for, role):
    thread = _solved()
    card = _card(thread)
    client = client_for(make_user(role))
    assert client.get(reverse("viden:card_create", args=[thread.pk])).status_code == CAN_MAKE[role]
    assert client.get(reverse("viden:card_edit", args=[card.pk])).status_code == CAN_EDIT[role]
    assert client.get(reverse("viden:card_list")).status_code == 200
