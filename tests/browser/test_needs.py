"""The loop from a need to a meetup and back, in Chromium with axe checks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from datepolls import services as polls
from moeder.models import Meetup, Rsvp
from needs import services as needs
from needs.models import Need
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, site, email):
    page.goto(site + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


def test_need_supported_planned_polled_published_and_met(site, browser, assert_accessible):
    UserFactory(email="asker@example.com", display_name="Aske Asker", region="midtjylland")
    supporters = [
        UserFactory(
            email=f"stoette{i}@example.com", display_name=f"Støtte {i}", region="midtjylland"
        )
        for i in range(3)
    ]
    organiser = UserFactory(
        email="tovholder@example.com", display_name="Tove Tovholder", roles=["organiser"]
    )

    # A member posts a need.
    page = browser.new_page()
    log_in(page, site, "asker@example.com")
    page.goto(site + "/behov/nyt/")
    assert_accessible(page)
    page.get_by_label("Hvad har du brug for eller ønsker dig?").fill("Sparring om moms ved EU-salg")
    page.get_by_role("button", name="Opret behov").click()
    need = Need.objects.get()
    expect(page.get_by_role("heading", name="Sparring om moms ved EU-salg")).to_be_visible()

    # Three members say "+1 — jeg vil også".
    for supporter in supporters:
        other = browser.new_page()
        log_in(other, site, supporter.email)
        other.goto(site + need.get_absolute_url())
        other.get_by_role("button", name=re.compile(r"\+1")).click()
        expect(other.locator(".messages")).to_be_visible()
        other.close()
    assert need.supports.count() == 3

    # An organiser turns it into a meetup draft and asks for dates in a poll.
    org = browser.new_page()
    log_in(org, site, "tovholder@example.com")
    org.goto(site + need.get_absolute_url())
    assert_accessible(org)
    org.get_by_role("button", name="Lav et mødeudkast").click()
    meetup = Meetup.objects.get()
    day = timezone.now() + timedelta(days=10)
    first = polls.add_date_option(meetup=meetup, starts_at=day, ends_at=day + timedelta(hours=2))
    polls.add_date_option(
        meetup=meetup, starts_at=day + timedelta(days=1), ends_at=day + timedelta(days=1, hours=2)
    )
    polls.open_poll(meetup=meetup, actor=organiser)

    # A supporter votes in the grid (a plain form).
    voter = browser.new_page()
    log_in(voter, site, supporters[0].email)
    voter.goto(site + f"/moeder/{meetup.pk}/afstemning/")
    assert_accessible(voter)
    voter.locator(f"input[name='option_{first.pk}'][value='yes']").check()
    voter.get_by_role("button", name="Gem mine svar").click()
    expect(voter.locator(".messages")).to_be_visible()

    # The organiser picks the date and publishes; the supporters are invited.
    org.goto(site + f"/moeder/{meetup.pk}/afstemning/vaelg/")
    assert_accessible(org)
    org.locator(f"#date_option_{first.pk}").check()
    org.get_by_role("button", name="Udgiv med denne dato og dette sted").click()
    expect(org.locator(".messages")).to_be_visible()
    meetup.refresh_from_db()
    assert meetup.status == "published"
    assert {u.pk for u in supporters} <= set(meetup.extra_invitees.values_list("pk", flat=True))

    # After the meetup, with check-in done, a supporter answers the follow-up.
    rsvp = Rsvp.objects.create(meetup=meetup, member=supporters[1], answer="yes")
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=2)
    )
    Rsvp.objects.filter(pk=rsvp.pk).update(checked_in_at=timezone.now() - timedelta(hours=3))
    needs.ask_follow_up(meetup_id=meetup.pk)
    member = browser.new_page()
    log_in(member, site, supporters[1].email)
    member.goto(site + f"/behov/{need.pk}/opfoelgning/")
    assert_accessible(member)
    member.get_by_label("Ja").check()
    member.get_by_role("button", name="Send svar").click()
    expect(member.locator(".messages")).to_be_visible()
    need.refresh_from_db()
    assert need.status == "met"
