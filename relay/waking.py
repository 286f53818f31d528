"""Waking hours: a question's delay counts only the hours members are awake
(08-21 Danish time by default, NETVAERK_RELAY), across daylight-saving changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def waking_due(start: datetime, hours: float) -> datetime:
    """When `hours` of waking time will have passed since `start` (UTC)."""
    config = settings.NETVAERK_RELAY
    zone = ZoneInfo(config["time_zone"])
    remaining = timedelta(hours=hours)
    start = start.astimezone(UTC)
    day = start.astimezone(zone).date()
    for _ in range(3660):  # ten years of days at most: never an endless loop
        opens = datetime.combine(day, time(config["waking_start"]), tzinfo=zone).astimezone(UTC)
        closes = datetime.combine(day, time(config["waking_end"]), tzinfo=zone).astimezone(UTC)
        begin = max(start, opens)
        if begin < closes:
            available = closes - begin
            if available >= remaining:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("delay too long")
