"""A network leader imports a mailing list's history in Chromium: uploads an
mbox, watches the progress page reload itself until the task worker is done,
reads the report and opens an imported thread. axe on every page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from imports import tasks
from imports.models import ImportRun
from tests.factories import PASSWORD, CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Two threads: a question (its subject MIME-encoded, Danish letters) with a
# reply, and an announcement on its own.
MBOX = """From anna@example.com Mon Mar  2 10:00:00 2015
Message-ID: <1@listen>
From: =?utf-8?q?Anna_J=C3=B8rgensen?= <anna@example.com>
Subject: =?utf-8?q?Hvordan_f=C3=B8rer_jeg_k=C3=B8rselsregnskab=3F?=
Date: Mon, 2 Mar 2015 10:00:00 +0100
Content-Type: text/plain; charset=utf-8

Skal jeg skrive hver tur ned, eller er et skøn nok?

From bo@example.com Mon Mar  2 12:00:00 2015
Message-ID: <2@listen>
In-Reply-To: <1@listen>
From: Bo Berg <bo@example.com>
Subject: Re: Hvordan =?utf-8?q?f=C3=B8rer?= jeg kørselsregnskab?
Date: Mon, 2 Mar 2015 12:00:00 +0100
Content-Type: text/plain; charset=utf-8

Skriv hver tur ned: dato, formål og kilometer.

From eva@example.com Wed Mar  4 09:00:00 2015
Message-ID: <3@listen>
From: Eva <eva@example.com>
Subject: Netvaerksmoede i Aarhus
Date: Wed, 4 Mar 2015 09:00:00 +0100
Content-Type: text/plain; charset=utf-8

Vi ses torsdag.
"""

REFRESH = '<meta http-equiv="refresh" content="3">'


def log_in_as_leader(page, site):
    leader = UserFactory(email="leder@example.com", roles=["network_leader"])
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("leder@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()
    TOTP.activate(leader, generate_totp_secret())  # a leader's powers need two-factor
    return leader


def scan_without_reloading(browser, page, assert_accessible):
    """axe on a page that reloads itself every 3 s: in a second context with the
    same session, where the refresh tag is taken out, so no reload cuts a scan short."""
    context = browser.new_context(storage_state=page.context.storage_state(), locale="da-DK")
    try:
        twin = context.new_page()

        def no_refresh(route):
            response = route.fetch()
            body = response.text()
            assert REFRESH in body
            route.fulfill(response=response, body=body.replace(REFRESH, ""))

        twin.route(page.url, no_refresh)
        twin.goto(page.url)
        assert_accessible(twin)
    finally:
        context.close()


def test_a_leader_imports_an_mbox_and_opens_an_imported_thread(
    site, browser, assert_accessible, settings, tmp_path, mailoutbox
):
    # The task waits in the queue (as it would for `manage.py db_worker`), so
    # that the journey sees the progress page before the report.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    uploads = settings.NETVAERK_IMPORT_DIR = tmp_path / "uploads"
    CategoryFactory(name="Mailinglisten", slug="mailinglisten")
    mbox = tmp_path / "liste.mbox"
    mbox.write_bytes(MBOX.encode("utf-8"))

    page = browser.new_page()
    log_in_as_leader(page, site)
    page.goto(site + "/import/")
    expect(page.get_by_role("heading", name="Importér et forum", level=1)).to_be_visible()
    expect(page.get_by_text("Ingen importer endnu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Fil").set_input_files(str(mbox))
    page.get_by_label("Format").select_option(label="Mailinglistearkiv (mbox)")
    page.get_by_label("Kategori").select_option(label="Mailinglisten")
    page.get_by_role("button", name="Start importen").click()

    # The progress page: waiting for the worker, reloading itself.
    run = ImportRun.objects.get()
    expect(page).to_have_url(site + run.get_absolute_url())
    expect(page.get_by_role("heading", name="Import: liste.mbox", level=1)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Importen er startet")
    expect(page.get_by_text("Tilstand: Venter")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Fremskridt")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    expect(page.get_by_role("link", name="Se de importerede tråde")).to_have_count(0)
    scan_without_reloading(browser, page, assert_accessible)

    # The worker runs the task; the page shows the report by itself.
    tasks.run_uploaded_import.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == "done" and (run.threads, run.posts) == (2, 3)
    expect(page.get_by_text("Tilstand: Færdig")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    report = page.locator("dl")
    expect(report.locator("dt:has-text('Oprettede tråde') + dd")).to_have_text("2")
    expect(report.locator("dt:has-text('Oprettede indlæg') + dd")).to_have_text("3")
    expect(report.locator("dt:has-text('Oprettede pladsholdere') + dd")).to_have_text("3")
    assert_accessible(page)
    assert list(uploads.iterdir()) == []  # the upload is removed when done

    # The imported threads, and one of them.
    page.get_by_role("link", name="Se de importerede tråde").click()
    expect(page.get_by_role("heading", name="Mailinglisten", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Hvordan fører jeg kørselsregnskab?").click()
    expect(
        page.get_by_role("heading", name="Hvordan fører jeg kørselsregnskab?", level=1)
    ).to_be_visible()
    expect(page.locator(".imported-origin")).to_contain_text("Importeret fra liste.mbox")
    expect(page.get_by_text("Skal jeg skrive hver tur ned, eller er et skøn nok?")).to_be_visible()
    expect(page.get_by_text("Skriv hver tur ned: dato, formål og kilometer.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Anna Jørgensen \(importeret\)")).first).to_be_visible()
    assert_accessible(page)

    # The import page lists the run.
    page.goto(site + "/import/")
    expect(page.get_by_role("link", name="liste.mbox")).to_be_visible()
    assert mailoutbox == []  # an import notifies nobody
