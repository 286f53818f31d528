import pytest

from accounts import demo as accounts_demo
from forum import demo as forum_demo
from moeder import demo as moeder_demo
from needs import demo
from needs.models import Need, NeedStatus, ThreadSignal

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_once():
    accounts_demo.seed()
    forum_demo.seed()
    moeder_demo.seed()
    assert demo.seed() is True
    assert 5 <= Need.objects.count() <= 6
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {NeedStatus.OPEN, NeedStatus.PLANNED, NeedStatus.MET, NeedStatus.CLOSED} <= statuses
    assert Need.objects.get(status=NeedStatus.PLANNED).meetup is not None
    assert ThreadSignal.objects.count() == 3
    for need in Need.objects.all():
        assert need.support_count == need.supports.count()
    assert demo.seed() is False
    assert ThreadSignal.objects.count() == 3
