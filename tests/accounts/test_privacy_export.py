"""Export my data: the model walk, the zip, the one-time link."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.extensions import personal_data
from accounts.models import AuditEntry, DataExport
from accounts.privacy import build_zip, collect, request_export
from tests.conftest import ROLES, make_user
from tests.factories import PostFactory, ThreadFactory, UserFactory


def _models_related_to_user():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = (field.concrete or field.many_to_many) and field.is_relation
            if related and field.related_model is user_model:
                yield model._meta.label
                break
    yield user_model._meta.label


def test_every_model_related_to_a_member_is_exported_or_left_out_with_a_reason():
    covered, left_out = set(), {}
    for part in personal_data:
        covered.update(part.covers)
        left_out.update(part.left_out)
    missing = sorted(set(_models_related_to_user()) - covered - set(left_out))
    assert not missing, (
        "Models with a relation to the member that no app's PersonalData covers or "
        f"leaves out with a reason (accounts.extensions.personal_data): {missing}"
    )
    assert all(reason.strip() for reason in left_out.values())
    assert not covered & set(left_out), "A model is both covered and left out"


def test_every_listed_model_exists():
    for part in personal_data:
        for label in [*part.covers, *part.left_out]:
            assert apps.get_model(label), label


def test_every_registered_part_exports_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    user = UserFactory()
    with django_assert_max_num_queries(60):
        sections = collect(user)
    assert set(sections) == set(personal_data.names())


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


@pytest.mark.django_db
def test_the_export_holds_the_profile_posts_and_a_readable_overview():
    user = UserFactory(display_name="Karen Blixen", company="Rungstedlund ApS")
    thread = ThreadFactory(author=user, title="Hvordan registrerer jeg moms?")
    PostFactory(thread=thread, author=user, body="Mit eget svar")
    other = UserFactory(display_name="Anden Person")
    PostFactory(author=other, body="Ikke mit")
    archive = _zip(build_zip(user, collect(user)))
    names = archive.namelist()
    assert "index.html" in names
    profile = json.loads(archive.read("accounts/profile.json"))
    assert profile[0]["company"] == "Rungstedlund ApS"
    posts = json.loads(archive.read("forum/posts.json"))
    assert "Mit eget svar" in {p["body"] for p in posts}
    assert "Ikke mit" not in {p["body"] for p in posts}
    overview = archive.read("index.html").decode()
    assert "Karen Blixen" in overview and "Mit eget svar" in overview
    assert "Anden Person" not in overview
    assert "Møder" in overview  # headings in the member's language (Danish here)
    assert "accounts/email_addresses.json" in names


@pytest.mark.django_db
def test_asking_for_an_export_builds_it_and_mails_a_link(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("accounts:export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=member)
    assert export.status == DataExport.Status.READY
    assert export.expires_at - export.ready_at == timedelta(days=7)
    assert len(mail.outbox) == 1
    assert member.email in mail.outbox[0].to
    link = reverse("accounts:export_download", kwargs={"token": export.token})
    assert link in mail.outbox[0].body
    # Danish by default.
    assert "eksport" in mail.outbox[0].subject.lower()


@pytest.mark.django_db
def test_the_link_works_once_for_its_member(
    member_client, member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_export(user=member, recipient=member)
    export = DataExport.objects.get(user=member)
    url = reverse("accounts:export_download", kwargs={"token": export.token})
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to the login
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "index.html" in _zip(b"".join(response)).namelist()
    assert member_client.get(url).status_code == 404
    export.refresh_from_db()
    assert export.status == DataExport.Status.DOWNLOADED
    assert bytes(export.content) == b""


@pytest.mark.django_db
def test_an_expired_or_unknown_link_gives_404(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_export(user=member, recipient=member)
    export = DataExport.objects.get(user=member)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    url = reverse("accounts:export_download", kwargs={"token": export.token})
    assert member_client.get(url).status_code == 404
    bad = reverse("accounts:export_download", kwargs={"token": "x" * 300})
    assert member_client.get(bad).status_code == 404


@pytest.mark.django_db
def test_asking_needs_post_and_login(member_client, client_for):
    assert member_client.get(reverse("accounts:export_request")).status_code == 405
    response = client_for(None).post(reverse("accounts:export_request"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not DataExport.objects.exists()


@pytest.mark.django_db
def test_asking_for_exports_is_rate_limited(member_client, settings):
    settings.NETVAERK_RATE_LIMITS = {**settings.NETVAERK_RATE_LIMITS, "privacy_export": (2, 3600)}
    for _ in range(2):
        assert member_client.post(reverse("accounts:export_request")).status_code == 302
    assert member_client.post(reverse("accounts:export_request")).status_code == 429
    assert DataExport.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member", 200),
        ("organiser", 200),
        ("moderator", 200),
        ("network_leader", 200),
    ],
)
def test_my_data_page_permissions(client_for, role, status):
    assert role in ROLES
    response = client_for(make_user(role)).get(reverse("accounts:my_data"))
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("organiser", 403),
        ("moderator", 403),
        ("network_leader", 302),
    ],
)
def test_a_leader_exports_for_a_member_with_a_reason(
    client_for, role, status, django_capture_on_commit_callbacks
):
    leader = make_user(role)
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            reverse("accounts:member_data", kwargs={"pk": member.pk}),
            {"action": "export", "export-reason": "Mail fra medlemmet 3. december"},
        )
    assert response.status_code == status
    if role == "network_leader":
        export = DataExport.objects.get(user=member)
        assert export.recipient == leader
        assert mail.outbox[-1].to == [leader.email]
        entry = AuditEntry.objects.get(action="export_data")
        assert entry.actor == leader and entry.target_id == member.pk
        assert entry.reason == "Mail fra medlemmet 3. december"
    else:
        assert not DataExport.objects.exists()


@pytest.mark.django_db
def test_a_leader_export_needs_a_reason(leader_client):
    member = UserFactory()
    response = leader_client.post(
        reverse("accounts:member_data", kwargs={"pk": member.pk}),
        {"action": "export", "export-reason": "   "},
    )
    assert response.status_code == 400
    assert not DataExport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_my_data_page_queries_do_not_grow(
    member_client, member, django_assert_max_num_queries, count
):
    for _ in range(count):
        DataExport.objects.create(user=member, recipient=member)
    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("accounts:my_data"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_leaders_page_for_a_member_queries_do_not_grow(
    leader_client, network_leader, django_assert_max_num_queries, count
):
    member = UserFactory()
    for _ in range(count):
        DataExport.objects.create(user=member, recipient=network_leader)
    with django_assert_max_num_queries(12):
        response = leader_client.get(reverse("accounts:member_data", kwargs={"pk": member.pk}))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_delete_page_queries_are_pinned(member_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("accounts:account_delete"))
    assert response.status_code == 200
