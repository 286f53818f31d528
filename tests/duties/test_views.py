from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duties.models import Duty, DutySlot, Eligibility
from tests.conftest import make_user
from tests.csrf import csrf_client, post_forms, submit
from tests.duties.conftest import en_url, english_client
from tests.duties.factories import DutyFactory, DutySlotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_time(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def slot(db):
    return DutySlotFactory(duty=DutyFactory(name="Velkomstvært"))


@pytest.fixture
def en_member(member):
    return english_client(member)


@pytest.fixture
def en_leader(network_leader):
    return english_client(network_leader)


PAGES = [
    ("duties:rota", False),
    ("duties:my_slots", False),
    ("duties:duty_create", False),
    ("duties:duty_detail", "duty"),
    ("duties:duty_edit", "duty"),
    ("duties:duty_archive", "duty"),
    ("duties:slot_create", "duty"),
    ("duties:slot_take", "slot"),
    ("duties:slot_withdraw", "slot"),
    ("duties:slot_handover", "slot"),
    ("duties:slot_edit", "slot"),
    ("duties:slot_delete", "slot"),
]
LEADER_PAGES = {
    "duties:duty_create",
    "duties:duty_edit",
    "duties:duty_archive",
    "duties:slot_create",
    "duties:slot_edit",
    "duties:slot_delete",
}


def _url(name, kind, slot):
    args = {"duty": [slot.duty.pk], "slot": [slot.pk]}.get(kind, [])
    return reverse(name, args=args)


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_visitors_are_sent_to_log_in(client, slot, name, kind):
    response = client.get(_url(name, kind, slot))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize(("name", "kind"), [p for p in PAGES if p[0] in LEADER_PAGES])
@pytest.mark.parametrize("role", ["member", "organiser", "moderator"])
def test_only_network_leaders_manage_duties(client_for, slot, name, kind, role):
    from tests.conftest import make_user

    client = client_for(make_user(role))
    assert client.get(_url(name, kind, slot)).status_code == 403
    assert client.post(_url(name, kind, slot)).status_code == 403


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_every_page_opens_for_a_leader(leader_client, network_leader, name, kind):
    slot = DutySlotFactory(member=None if name == "duties:slot_take" else network_leader)
    assert leader_client.get(_url(name, kind, slot)).status_code == 200


# --- The rota -------------------------------------------------------------------


def test_the_rota_shows_upcoming_slots_and_hides_past_ones(member_client):
    now = timezone.now()
    holder = UserFactory(display_name="Camilla Friis")
    duty = DutyFactory(name="Hjælper på vagt")
    held = DutySlotFactory(duty=duty, member=holder)
    open_slot = DutySlotFactory(duty=duty, starts_at=now + timedelta(days=2))
    past = DutySlotFactory(
        duty=duty, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2)
    )
    DutyFactory(name="Gammel vagt", archived_at=now)
    response = member_client.get(reverse("duties:rota"))
    html = response.text
    assert "Hjælper på vagt" in html
    assert "Camilla Friis" in html
    assert reverse("accounts:member_detail", args=[holder.pk]) in html
    assert reverse("duties:slot_take", args=[open_slot.pk]) in html
    detail = member_client.get(reverse("duties:duty_detail", args=[duty.pk])).text
    assert reverse("duties:slot_take", args=[open_slot.pk]) in detail
    assert "Camilla Friis" in detail
    assert reverse("duties:slot_take", args=[held.pk]) not in html
    assert f"/tid/{past.pk}/" not in html
    assert "Gammel vagt" not in html
    assert 'id="on-duty-heading"' in html


def test_a_member_gets_no_sign_up_button_for_the_review_queue(member_client):
    slot = DutySlotFactory(duty=DutyFactory(eligibility=Eligibility.MODERATORS))
    html = member_client.get(reverse("duties:rota")).text
    assert reverse("duties:slot_take", args=[slot.pk]) not in html
    html = member_client.get(reverse("duties:duty_detail", args=[slot.duty.pk])).text
    assert reverse("duties:slot_take", args=[slot.pk]) not in html


def test_members_do_not_see_archived_duties(member_client):
    duty = DutyFactory(archived_at=timezone.now())
    assert member_client.get(reverse("duties:duty_detail", args=[duty.pk])).status_code == 404


def test_the_rota_in_english(en_member, slot):
    response = en_member.get(en_url("duties:rota"))
    assert response.status_code == 200
    assert "Duty rota" in response.text
    assert '<html lang="en">' in response.text


# --- Taking a slot ------------------------------------------------------------------


def test_a_member_takes_an_open_slot(en_member, member, slot):
    response = en_member.get(en_url("duties:slot_take", slot.pk))
    assert response.status_code == 200
    assert 'method="post"' in response.text
    response = en_member.post(en_url("duties:slot_take", slot.pk))
    assert response.status_code == 302
    assert response["Location"] == en_url("duties:my_slots")
    assert DutySlot.objects.get(pk=slot.pk).member == member
    assert "You are on duty as Velkomstvært" in texts(response)[0]
    assert "Velkomstvært" in en_member.get(en_url("duties:my_slots")).text


def test_taking_a_slot_someone_else_took_first_says_so(en_member, slot):
    DutySlot.objects.filter(pk=slot.pk).update(member=UserFactory())
    response = en_member.post(en_url("duties:slot_take", slot.pk))
    assert response.status_code == 302
    assert response["Location"] == en_url("duties:rota")
    assert "someone else took that slot" in texts(response)[0]


def test_taking_your_own_slot_again_says_you_hold_it(en_member, member, slot):
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    response = en_member.post(en_url("duties:slot_take", slot.pk))
    assert texts(response) == ["You already hold that slot."]


def test_taking_an_ended_slot_is_refused(en_member):
    now = timezone.now()
    slot = DutySlotFactory(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    response = en_member.post(en_url("duties:slot_take", slot.pk))
    assert texts(response) == ["That slot is already over."]
    assert DutySlot.objects.get(pk=slot.pk).member is None


@pytest.mark.parametrize(
    "name", ["duties:slot_take", "duties:slot_withdraw", "duties:slot_handover"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_slot_gives_a_message_not_an_error(en_member, name, method):
    response = getattr(en_member, method)(en_url(name, 999_999))
    assert response.status_code == 302
    assert response["Location"] == en_url("duties:rota")
    assert texts(response) == ["That slot no longer exists."]


def test_a_member_cannot_take_a_review_queue_slot(member_client):
    slot = DutySlotFactory(duty=DutyFactory(eligibility=Eligibility.MODERATORS))
    assert member_client.post(reverse("duties:slot_take", args=[slot.pk])).status_code == 403
    assert DutySlot.objects.get(pk=slot.pk).member is None


def test_a_moderator_takes_a_review_queue_slot(moderator_client, moderator):
    slot = DutySlotFactory(duty=DutyFactory(eligibility=Eligibility.MODERATORS))
    moderator_client.post(reverse("duties:slot_take", args=[slot.pk]))
    assert DutySlot.objects.get(pk=slot.pk).member == moderator


def test_every_change_needs_the_csrf_token(member, slot):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(reverse("duties:slot_take", args=[slot.pk])).status_code == 403
    assert DutySlot.objects.get(pk=slot.pk).member is None


def test_changes_are_rate_limited(settings, member_client):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "duty_change": (1, 3600)}
    first, second = DutySlotFactory(), DutySlotFactory()
    assert member_client.post(reverse("duties:slot_take", args=[first.pk])).status_code == 302
    assert member_client.post(reverse("duties:slot_take", args=[second.pk])).status_code == 429
    assert DutySlot.objects.get(pk=second.pk).member is None


# --- Withdrawing -----------------------------------------------------------------


def test_the_holder_withdraws_after_confirming(en_member, member, slot):
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    page = en_member.get(en_url("duties:slot_withdraw", slot.pk))
    assert f'name="holder" value="{member.pk}"' in page.text
    response = en_member.post(en_url("duties:slot_withdraw", slot.pk), {"holder": member.pk})
    assert response.status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).member is None
    assert texts(response) == ["The slot is open again for others to take."]


def test_a_stale_withdraw_form_changes_nothing(en_member, member, slot):
    other = UserFactory()
    DutySlot.objects.filter(pk=slot.pk).update(member=other)
    # The member's page said they held it; a leader handed it on meanwhile.
    response = en_member.post(en_url("duties:slot_withdraw", slot.pk), {"holder": member.pk})
    assert "changed while you were looking" in texts(response)[0]
    assert DutySlot.objects.get(pk=slot.pk).member == other


def test_no_one_else_withdraws_a_members_slot(member_client, slot):
    holder = UserFactory()
    DutySlot.objects.filter(pk=slot.pk).update(member=holder)
    url = reverse("duties:slot_withdraw", args=[slot.pk])
    assert member_client.post(url, {"holder": holder.pk}).status_code == 403
    assert DutySlot.objects.get(pk=slot.pk).member == holder


def test_a_leader_withdraws_a_member(leader_client, slot):
    holder = UserFactory()
    DutySlot.objects.filter(pk=slot.pk).update(member=holder)
    leader_client.post(reverse("duties:slot_withdraw", args=[slot.pk]), {"holder": holder.pk})
    assert DutySlot.objects.get(pk=slot.pk).member is None


def test_no_withdrawing_from_a_running_slot(en_member, member, running_slot):
    DutySlot.objects.filter(pk=running_slot.pk).update(member=member)
    response = en_member.post(
        en_url("duties:slot_withdraw", running_slot.pk), {"holder": member.pk}
    )
    assert "already started" in texts(response)[0]
    assert DutySlot.objects.get(pk=running_slot.pk).member == member


# --- Handing over ------------------------------------------------------------------


def _hand_over(client, slot, holder, to, note=""):
    return client.post(
        en_url("duties:slot_handover", slot.pk), {"holder": holder.pk, "member": to, "note": note}
    )


def test_the_holder_hands_over_with_a_note(
    en_member, member, slot, mailoutbox, django_capture_on_commit_callbacks
):
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    taker = UserFactory(handle="tove-hansen", display_name="Tove Hansen", language="en")
    page = en_member.get(en_url("duties:slot_handover", slot.pk))
    assert 'for="id_member"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = _hand_over(en_member, slot, member, "@Tove-Hansen", "Husk Ida.")
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.member, slot.handover_note) == (taker, "Husk Ida.")
    assert texts(response) == ["Tove Hansen now holds the slot and will get an email about it."]
    assert mailoutbox[-1].to == [taker.email]
    assert "Husk Ida." in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("to", "error"),
    [
        ("self", "You cannot hand a slot over to yourself."),
        ("nobody-here", "No active member is called “nobody-here”."),
        ("inactive", "No active member is called “inactive”."),
        ("", "This field is required."),
    ],
)
def test_bad_handover_targets_are_explained(en_member, member, slot, to, error):
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    UserFactory(handle="inactive", is_active=False)
    response = _hand_over(en_member, slot, member, member.handle if to == "self" else to)
    assert response.status_code == 200
    assert error in response.text
    assert DutySlot.objects.get(pk=slot.pk).member == member


def test_the_review_queue_is_handed_only_to_moderators(moderator_client, moderator):
    slot = DutySlotFactory(duty=DutyFactory(eligibility=Eligibility.MODERATORS), member=moderator)
    UserFactory(handle="plain", display_name="Plain Member")
    client = english_client(moderator)
    response = _hand_over(client, slot, moderator, "plain")
    assert response.status_code == 200
    assert "Plain Member cannot take this duty" in response.text
    assert DutySlot.objects.get(pk=slot.pk).member == moderator


def test_a_stale_handover_form_changes_nothing(en_member, member, slot):
    DutySlot.objects.filter(pk=slot.pk).update(member=None)
    UserFactory(handle="someone")
    response = _hand_over(en_member, slot, member, "someone")
    assert "changed while you were looking" in texts(response)[0]
    assert DutySlot.objects.get(pk=slot.pk).member is None


def test_only_the_holder_or_a_leader_hands_over(member_client, leader_client, slot):
    holder = UserFactory()
    DutySlot.objects.filter(pk=slot.pk).update(member=holder)
    taker = UserFactory(handle="taker")
    url = reverse("duties:slot_handover", args=[slot.pk])
    data = {"holder": holder.pk, "member": "taker", "note": ""}
    assert member_client.post(url, data).status_code == 403
    assert leader_client.post(url, data).status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).member == taker


# --- Leaders -----------------------------------------------------------------------


def test_a_leader_creates_a_duty_and_its_weekly_slots(en_leader):
    response = en_leader.post(
        en_url("duties:duty_create"),
        {
            "name": "  Review-kø   i weekenden ",
            "description": "Tjek køen.",
            "eligibility": "moderators",
        },
    )
    duty = Duty.objects.get()
    assert duty.name == "Review-kø i weekenden"
    assert response["Location"] == en_url("duties:slot_create", duty.pk)
    start = timezone.now() + timedelta(days=3)
    response = en_leader.post(
        en_url("duties:slot_create", duty.pk),
        {
            "starts_at": form_time(start),
            "ends_at": form_time(start + timedelta(hours=36)),
            "weeks": 4,
        },
    )
    assert response.status_code == 302
    assert texts(response)[-1] == "4 slots were added."
    assert duty.slots.count() == 4


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"starts": 5, "ends": 4}, "The slot must end after it starts."),
        ({"starts": 5, "ends": 5}, "The slot must end after it starts."),
        ({"starts": -50, "ends": -49}, "That time has already passed."),
        ({"starts": 5, "ends": 24 * 40}, "A slot can last at most 31 days."),
        ({"weeks": 27}, "Ensure this value is less than or equal to 26."),
        ({"weeks": 0}, "Ensure this value is greater than or equal to 1."),
        ({"starts_at": "not a time"}, "Enter a valid date/time."),
    ],
)
def test_bad_slot_times_are_explained(en_leader, data, error):
    duty = DutyFactory()
    now = timezone.now()
    post = {
        "starts_at": form_time(now + timedelta(hours=data.get("starts", 5))),
        "ends_at": form_time(now + timedelta(hours=data.get("ends", 6))),
        "weeks": data.get("weeks", 1),
    }
    if "starts_at" in data:
        post["starts_at"] = data["starts_at"]
    response = en_leader.post(en_url("duties:slot_create", duty.pk), post)
    assert response.status_code == 200
    assert error in response.text
    assert not duty.slots.exists()


def test_a_weekly_repeat_in_the_skipped_dst_hour_is_explained(en_leader):
    duty = DutyFactory()
    response = en_leader.post(
        en_url("duties:slot_create", duty.pk),
        {"starts_at": "2027-03-21T02:30", "ends_at": "2027-03-21T04:00", "weeks": 2},
    )
    assert response.status_code == 200
    assert "when the clocks change" in response.text
    assert not duty.slots.exists()


def test_a_slot_clash_is_explained(en_leader):
    start = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    slot = DutySlotFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    response = en_leader.post(
        en_url("duties:slot_create", slot.duty.pk),
        {"starts_at": form_time(slot.starts_at), "ends_at": form_time(slot.ends_at), "weeks": 1},
    )
    assert response.status_code == 200
    assert "already has a slot starting at" in response.text
    assert slot.duty.slots.count() == 1


def test_a_leader_moves_and_deletes_a_slot(en_leader, slot):
    new_start = slot.starts_at + timedelta(days=2)
    edit = en_leader.get(en_url("duties:slot_edit", slot.pk))
    assert f'value="{form_time(slot.starts_at)}"' in edit.text
    response = en_leader.post(
        en_url("duties:slot_edit", slot.pk),
        {"starts_at": form_time(new_start), "ends_at": form_time(new_start + timedelta(hours=1))},
    )
    assert response.status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).starts_at == new_start.replace(second=0, microsecond=0)
    assert en_leader.get(en_url("duties:slot_delete", slot.pk)).status_code == 200
    en_leader.post(en_url("duties:slot_delete", slot.pk))
    assert not DutySlot.objects.filter(pk=slot.pk).exists()
    assert en_leader.post(en_url("duties:slot_delete", slot.pk)).status_code == 404


def test_a_leader_edits_archives_and_restores_a_duty(en_leader, member_client, slot):
    duty = slot.duty
    en_leader.post(
        en_url("duties:duty_edit", duty.pk),
        {"name": "Vært", "description": "", "eligibility": "members"},
    )
    assert Duty.objects.get(pk=duty.pk).name == "Vært"
    assert "Archive" in en_leader.get(en_url("duties:duty_archive", duty.pk)).text
    en_leader.post(en_url("duties:duty_archive", duty.pk))
    assert Duty.objects.get(pk=duty.pk).is_archived
    assert "Vært" not in member_client.get(reverse("duties:rota")).text
    assert "Vært" in en_leader.get(en_url("duties:rota")).text  # listed as archived
    en_leader.post(en_url("duties:duty_archive", duty.pk))
    assert not Duty.objects.get(pk=duty.pk).is_archived


def test_a_blank_duty_name_is_explained(en_leader):
    response = en_leader.post(
        en_url("duties:duty_create"), {"name": "   ", "eligibility": "members"}
    )
    assert response.status_code == 200
    assert (
        "This field is required." in response.text
        or "Please give the duty a name." in response.text
    )
    assert not Duty.objects.exists()


# --- With CSRF checks on, as in a browser -------------------------------------------


@pytest.mark.parametrize("page", ["duties:rota", "duties:duty_detail", "duties:slot_take"])
def test_a_member_takes_a_slot_with_the_token_from_the_page(member, slot, page):
    client = csrf_client(member)
    page_url = reverse(
        page,
        args=[]
        if page == "duties:rota"
        else [slot.duty.pk]
        if page == "duties:duty_detail"
        else [slot.pk],
    )
    response = submit(client, page_url, reverse("duties:slot_take", args=[slot.pk]))
    assert response.status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).member == member


def test_the_holder_withdraws_and_hands_over_with_the_token_from_the_page(member, slot):
    client = csrf_client(member)
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    handover = reverse("duties:slot_handover", args=[slot.pk])
    UserFactory(handle="tove")
    response = submit(client, handover, handover, {"member": "@tove", "note": ""})
    assert response.status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).member.handle == "tove"
    DutySlot.objects.filter(pk=slot.pk).update(member=member)
    withdraw = reverse("duties:slot_withdraw", args=[slot.pk])
    assert submit(client, withdraw, withdraw).status_code == 302
    assert DutySlot.objects.get(pk=slot.pk).member is None


@pytest.mark.parametrize("role", ["member", "organiser", "moderator", "network_leader"])
def test_every_duty_page_gives_its_forms_a_token(role, slot):
    user = make_user(role)
    DutySlotFactory(duty=slot.duty, member=user)
    client = csrf_client(user)
    for url in [
        reverse("duties:rota"),
        reverse("duties:my_slots"),
        reverse("duties:duty_detail", args=[slot.duty.pk]),
    ]:
        html = client.get(url).content.decode()
        assert post_forms(html), url
        assert all(token for _, token in post_forms(html)), url
