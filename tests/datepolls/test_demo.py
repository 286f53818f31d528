import pytest
from django.test import Client
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts.models import User
from datepolls import demo
from datepolls.models import Poll, PollVote

pytestmark = pytest.mark.django_db


def test_the_demo_poll_seeds_once_and_shows(django_capture_on_commit_callbacks):
    accounts_demo.seed()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.seed() is True
    poll = Poll.objects.get()
    assert poll.is_open and poll.meetup.is_draft
    assert poll.options.count() == 5 and PollVote.objects.count() == 20
    assert demo.seed() is False
    client = Client()
    client.force_login(User.objects.get(email=accounts_demo.demo_email("soeren")))
    page = client.get(reverse("datepolls:poll_detail", args=[poll.meetup_id]))
    assert page.status_code == 200 and "Bech Tømrer" in page.text
