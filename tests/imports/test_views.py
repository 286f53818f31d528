"""The leaders' import page: upload, progress, report; only for leaders."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from forum.models import Thread
from imports.models import ImportRun
from tests.factories import CategoryFactory
from tests.imports.test_import import MBOX

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [("client", 302), ("member_client", 403), ("moderator_client", 403), ("leader_client", 200)],
)
def test_only_leaders_reach_the_import_pages(request, who, status):
    client = request.getfixturevalue(who)
    assert client.get(reverse("imports:run_list")).status_code == status


def test_someone_elses_run_is_not_shown_to_members(member_client, network_leader):
    run = ImportRun.objects.create(format="mbox", source_name="x", started_by=network_leader)
    assert member_client.get(run.get_absolute_url()).status_code == 403


def test_leader_uploads_an_mbox_and_reads_the_report(
    leader_client, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    category = CategoryFactory(slug="liste", name="Listen")
    upload = SimpleUploadedFile("liste.mbox", MBOX.encode("utf-8"))
    with (
        override_settings(NETVAERK_IMPORT_DIR=tmp_path),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = leader_client.post(
            reverse("imports:run_list"),
            {"file": upload, "format": "mbox", "category": category.pk},
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.state == "done" and run.threads == 2
    assert list(tmp_path.iterdir()) == []  # the upload is removed when done
    page = leader_client.get(run.get_absolute_url()).content.decode()
    assert "program.pdf" in page and "bounce" in page
    assert 'http-equiv="refresh"' not in page
    thread = Thread.objects.get(title="Hjælp til moms")
    page = leader_client.get(thread.get_absolute_url()).content.decode()
    assert "liste.mbox" in page and "(importeret)" in page
    assert mailoutbox == []


def test_a_running_import_page_reloads_itself(leader_client):
    run = ImportRun.objects.create(
        format="mbox", source_name="x", state="running", bytes_done=50, bytes_total=100
    )
    page = leader_client.get(run.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="50"' in page


def test_a_file_in_another_format_fails_with_a_message_and_imports_nothing(
    leader_client, tmp_path, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("liste.mbox", b"just text, no mailbox")
    with (
        override_settings(NETVAERK_IMPORT_DIR=tmp_path),
        django_capture_on_commit_callbacks(execute=True),
    ):
        leader_client.post(reverse("imports:run_list"), {"file": upload, "format": "mbox"})
    run = ImportRun.objects.get()
    assert run.state == "failed" and "mbox" in run.error
    assert not Thread.objects.exists()


@override_settings(NETVAERK_IMPORT_MAX_UPLOAD_MB=0)
def test_a_file_over_the_limit_is_refused_on_the_form(leader_client, tmp_path):
    upload = SimpleUploadedFile("big.mbox", b"From x\n" * 10)
    with override_settings(NETVAERK_IMPORT_DIR=tmp_path):
        response = leader_client.post(
            reverse("imports:run_list"), {"file": upload, "format": "mbox"}
        )
    assert response.status_code == 200 and not ImportRun.objects.exists()
    assert "større end 0 MB" in response.content.decode()
