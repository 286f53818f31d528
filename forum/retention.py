"""Failed-search words go after NETVAERK_RETENTION["failed_searches_days"]
(accounts.extensions.retention; registered by ForumConfig.ready())."""

from datetime import timedelta

from django.conf import settings

from accounts.extensions import Retention
from forum.models import FailedSearch


def purge_failed_searches(*, now) -> int:
    days = settings.NETVAERK_RETENTION["failed_searches_days"]
    return FailedSearch.objects.filter(last_searched_at__lt=now - timedelta(days=days)).delete()[0]


RULE = Retention("forum.failed_searches", purge_failed_searches, 30)
