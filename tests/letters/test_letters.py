"""The network letter: composing from picked pieces, previews, a test, sending
in batches once to each member, the archive and feed, unsubscribing, and who
may do what."""

import pytest
from django.urls import reverse

from accounts.services import grant_role
from forum import services as forum_services
from forum.models import Access
from letters import services
from letters.models import Letter, LetterDelivery, LetterOptOut, LetterStatus
from tests.conftest import make_user
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "organiser", "moderator", "network_leader", "editor"]


def _user(role):
    if role == "editor":
        return UserFactory(roles=["editor"])
    return make_user(role)


def _solved(**kwargs):
    thread = ThreadFactory(**kwargs)
    forum_services.accept_answer(thread=thread, post=PostFactory(thread=thread))
    thread.refresh_from_db()
    return thread


def _letter(author=None, **kwargs):
    author = author or UserFactory(roles=["editor"])
    defaults = {"title": "Netværksbrevet december", "intro": "Hej **alle**.", "body": "",
                "audience": "public", "picked": {}}  # fmt: skip
    defaults.update(kwargs)
    return services.create_letter(author=author, **defaults)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return go


def test_an_editor_composes_from_picked_pieces(client):
    editor = UserFactory(roles=["editor"])
    thread = _solved(title="Moms ved EU-salg")
    staff = _solved(title="Intern sag", category=CategoryFactory(read_access=Access.STAFF))
    meetup = MeetupFactory(regions=[])
    need = NeedFactory()
    client.force_login(editor)
    page = client.get(reverse("letters:letter_create"))
    assert page.status_code == 200
    assert thread.title in page.text and staff.title not in page.text
    response = client.post(
        reverse("letters:letter_create"),
        {
            "title": "Brev 1",
            "intro": "Velkommen til **brevet**",
            "threads": [thread.pk],
            "meetups": [meetup.pk],
            "needs": [need.pk],
            "body": "## Nyt\n\nMere tekst",
            "audience": "members",
        },
    )
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert letter.is_draft and list(letter.threads.all()) == [thread]
    text = client.get(letter.get_absolute_url()).text
    assert thread.title in text and meetup.title in text and need.title in text
    assert "<strong>brevet</strong>" in text


def test_markdown_in_letters_is_sanitised():
    letter = _letter(intro="<script>alert(1)</script>[x](javascript:alert(1)) ok")
    assert "<script" not in letter.intro_html and "javascript:" not in letter.intro_html


def test_the_email_is_inlined_tables_small_with_a_text_part(run, mailoutbox):
    editor = UserFactory(roles=["editor"])
    letter = _letter(editor, picked={"threads": [_solved(title="Moms ved EU-salg")]})
    run(services.send_test, letter=letter, user=editor)
    [mail] = mailoutbox
    assert mail.to == [editor.email] and mail.subject.startswith("[TEST]")
    html = mail.alternatives[0][0]
    assert "<table" in html and "<style" not in html and 'style="' in html
    assert "<img" not in html and "<script" not in html
    assert len(html.encode()) < 100_000
    assert "Moms ved EU-salg" in mail.body and "http" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not LetterDelivery.objects.exists()  # a test is no delivery


def test_sending_goes_to_every_member_once_in_batches(run, mailoutbox, monkeypatch):
    members = UserFactory.create_batch(5)
    opted = UserFactory()
    LetterOptOut.objects.create(user=opted)
    letter = _letter(members[0])
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    assert run(services.start_sending, letter=letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.sent_count == letter.recipient_count == 5
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in members)
    # never twice: starting again or resuming sends nothing
    assert not run(services.start_sending, letter=letter)
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENDING)
    run(services.resume_sending)
    assert len(mailoutbox) == 5


def test_resumable_after_a_restart(run, mailoutbox):
    members = UserFactory.create_batch(3)
    letter = _letter(members[0])
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENDING, recipient_count=3)
    LetterDelivery.objects.create(letter=letter, user=members[0])  # sent before the crash
    run(services.resume_sending)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in members[1:])
    assert LetterDelivery.objects.filter(letter=letter).count() == 3


def test_editing_after_sending_is_refused(client, run):
    editor = UserFactory(roles=["editor"])
    letter = _letter(editor)
    run(services.start_sending, letter=letter)
    client.force_login(editor)
    response = client.get(reverse("letters:letter_edit", args=[letter.pk]), follow=True)
    assert "can no longer be changed" in response.text or "kan ikke længere ændres" in response.text
    with pytest.raises(services.LetterSent):
        services.edit_letter(letter=letter, title="x", intro="y", body="", audience="public",
                             picked={})  # fmt: skip


def test_progress_is_shown_to_editors(client, run):
    editor = UserFactory(roles=["editor"])
    UserFactory.create_batch(2)
    letter = _letter(editor)
    run(services.start_sending, letter=letter)
    client.force_login(editor)
    text = client.get(letter.get_absolute_url()).text
    assert "<progress" in text and 'value="3"' in text


def test_archive_feed_and_who_reads_what(client, run):
    public = _letter(title="Offentligt brev")
    members = _letter(title="Medlemsbrev", audience="members")
    draft = _letter(title="Kladde")
    run(services.start_sending, letter=public)
    run(services.start_sending, letter=members)
    text = client.get(reverse("letters:letter_list")).text
    assert "Offentligt brev" in text and "Medlemsbrev" not in text and "Kladde" not in text
    assert client.get(members.get_absolute_url()).status_code == 404
    feed = client.get(reverse("letters:letter_feed")).text
    assert "Offentligt brev" in feed and "Medlemsbrev" not in feed
    client.force_login(UserFactory())
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404  # unsent: 404


def test_a_public_archive_page_shows_no_members_only_thread(client, run):
    category = CategoryFactory(read_access=Access.MEMBERS)
    closed = _solved(title="Kun for medlemmer", category=category)
    letter = _letter(picked={"threads": [closed]})
    run(services.start_sending, letter=letter)
    assert "Kun for medlemmer" not in client.get(letter.get_absolute_url()).text
    client.force_login(UserFactory())
    assert "Kun for medlemmer" in client.get(letter.get_absolute_url()).text


def test_one_click_unsubscribe_without_login(client):
    member = UserFactory()
    url = services.unsubscribe_url(member)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert LetterOptOut.objects.filter(user=member).exists()
    bad = reverse("letters:letter_unsubscribe", args=["nope"])
    assert client.post(bad).status_code == 404


def test_the_editor_role_is_appointed_like_the_others():
    leader = make_user("network_leader")
    member = UserFactory()
    grant_role(user=member, role="editor", granted_by=leader)
    from accounts.models import RoleChange

    assert RoleChange.objects.filter(user=member, role="editor").exists()


CAN_COMPOSE = {"anonymous": 302, "member": 403, "organiser": 403, "moderator": 403,
               "network_leader": 200, "editor": 200}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(client_for, role):
    client = client_for(_user(role))
    draft = _letter()
    assert client.get(reverse("letters:letter_create")).status_code == CAN_COMPOSE[role]
    expected = 200 if CAN_COMPOSE[role] == 200 else 404
    assert client.get(draft.get_absolute_url()).status_code == expected
    send = client.post(reverse("letters:letter_send", args=[draft.pk]), {"confirm": "1"})
    assert send.status_code == (302 if CAN_COMPOSE[role] != 403 else 403)
    draft.refresh_from_db()
    assert draft.is_draft == (CAN_COMPOSE[role] != 200)
