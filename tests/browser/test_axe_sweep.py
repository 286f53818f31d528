"""axe on the pages the journeys do not pass through, as a network leader
(who sees the most), with some of everything in the database."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from forum import services as forum_services
from moderation import services as moderation
from moeder import services as meetups
from needs import services as needs
from tests.factories import PASSWORD, CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_leader_pages_have_no_wcag_violations(site, browser, assert_accessible):
    leader = UserFactory(
        email="leder@example.com",
        display_name="Lene Leder",
        roles=["network_leader", "organiser"],
        region="midtjylland",
    )
    member = UserFactory(display_name="Mads Medlem", region="midtjylland")
    category = CategoryFactory(name="Spørg netværket", slug="spoerg")
    thread = forum_services.start_thread(
        category=category,
        author=member,
        title="Moms på ydelser",
        kind="question",
        body="Hvordan gør I?",
    )
    post = forum_services.post_reply(thread=thread, author=UserFactory(), body="Køb mit kursus")
    moderation.flag_post(post=post, flagger=member, reason="spam")
    moderation.queue_post(
        author=UserFactory(), why="new_member", body="Hej", body_html="<p>Hej</p>", thread=thread
    )
    starts = timezone.now() + timedelta(days=9)
    meetup = meetups.create_meetup(
        creator=leader,
        title="Netværksmøde i Aarhus",
        kind="network",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue_name="Kulturhuset",
        capacity=10,
    )
    meetups.add_question(
        meetup=meetup, text="Kostbehov", kind="single", choices=["Ingen", "Vegetar"], required=False
    )
    need = needs.post_need(
        author=member,
        title="Sparring om eksport",
        description="",
        region="midtjylland",
        tags=["eksport"],
    )

    page = browser.new_page()
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill("leder@example.com")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()
    TOTP.activate(leader, generate_totp_secret())

    paths = [
        "/moderering/",
        "/moderering/flag/",
        "/moderering/godkendelse/",
        "/moderering/log/",
        "/moderering/kategorier/",
        f"/moderering/medlem/{member.pk}/",
        f"/moderering/traad/{thread.pk}/flet/",
        f"/moderering/traad/{thread.pk}/del/",
        f"/moderering/traad/{thread.pk}/flyt/",
        "/moderering/min-status/",
        "/haandbog/",
        "/haandbog/kursus/",
        "/haandbog/kursus/oversigt/",
        "/vagter/",
        "/vagter/mine/",
        "/vagter/ny/",
        "/moeder/",
        "/moeder/nyt/",
        meetup.get_absolute_url(),
        f"/moeder/{meetup.pk}/spoergsmaal/",
        f"/moeder/{meetup.pk}/rediger/",
        f"/moeder/{meetup.pk}/afstemning/muligheder/",
        "/moeder/indsigt/",
        "/moeder/mit-fremmoede/",
        "/moeder/kalender/",
        "/behov/",
        "/behov/nyt/",
        "/behov/planlaeg/",
        need.get_absolute_url(),
        thread.get_absolute_url(),
    ]
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.click("summary")  # the member menu, open
    assert_accessible(page)
