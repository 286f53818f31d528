"""Coffee pairs in the demo network (`manage.py seed_demo`): a few members
signed up, last month's round paired and one pair that met."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from kaffe import services
from kaffe.models import CoffeeMatch, CoffeeSignup

SIGNED_UP = ["jonas", "camilla", "ahmed", "louise", "peter", "karen", "mikkel"]


@transaction.atomic
def seed() -> bool:
    if CoffeeSignup.objects.exists():
        return False
    members = User.objects.filter(email__in=[demo_email(local) for local in SIGNED_UP])
    for member in members:
        services.join(member=member, place=member.region or "online")
    today = timezone.localdate()
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    services.run_round(today=last_month, send=False)  # no demo mail
    first = CoffeeMatch.objects.order_by("pk").first()
    if first is not None:
        services.mark_met(match=first)
    return True
