"""The rate-limit counters (see ratelimit.py); apps.py also hooks post_migrate here."""

from django.db import models


class RateCount(models.Model):
    """Actions counted in one rate-limit window, e.g. `search:user:7:29932399`.
    Used when the cache is the database: one upsert per action instead of the
    database cache's several queries. With Redis the cache counts instead."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key} = {self.count}"
