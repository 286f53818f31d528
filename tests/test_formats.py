"""English pages of a Danish network: day-month order and the 24-hour clock;
Danish pages: Danish month names everywhere."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from tests.duties.conftest import english_client
from tests.moeder.factories import MeetupFactory

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 5, 12, 6, 20, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("en", "SHORT_DATETIME_FORMAT", "12/05/2026 06:20"),
        ("en", "DATETIME_FORMAT", "12 May 2026, 06:20"),
        ("en", "DATE_FORMAT", "12 May 2026"),
        ("en", "TIME_FORMAT", "06:20"),
        ("da", "SHORT_DATETIME_FORMAT", "12.05.2026 06:20"),
        ("da", "DATE_FORMAT", "12. maj 2026"),
    ],
)
def test_dates_read_the_danish_way_in_both_languages(language, name, expected):
    with translation.override(language):
        assert formats.date_format(MORNING, name) == expected


def test_poll_dates_use_danish_month_names():
    from datepolls.models import PollOption

    option = PollOption(kind="date", starts_at=datetime(2027, 1, 12, 17, tzinfo=ZoneInfo("UTC")))
    option.ends_at = option.starts_at + timedelta(hours=2)
    template = Template('{% include "datepolls/_option.html" %}')
    with translation.override("da"):
        html = template.render(Context({"option": option}))
    assert "tir 12. januar 2027" in html
    assert "Jan" not in html


def test_an_english_meetup_page_has_no_us_dates(member):
    meetup = MeetupFactory()
    with translation.override("en"):
        url = meetup.get_absolute_url()
    page = english_client(member).get(url).text
    assert " p.m." not in page and " a.m." not in page
    assert "18:00" in page
