"""The network letter for the demo network (for `manage.py seed_demo`): Jonas
is appointed editor, one issue is in the archive and one draft waits."""

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Role, RoleAssignment, User
from accounts.services import grant_role
from letters import services
from letters.models import Letter, LetterStatus


@transaction.atomic
def seed() -> bool:
    if Letter.objects.exists():
        return False
    editor = User.objects.filter(email=demo_email("jonas")).first()
    leader = User.objects.filter(email=demo_email("mette")).first()
    if editor is None:
        return False
    if not RoleAssignment.objects.filter(user=editor, role=Role.EDITOR).exists():
        grant_role(user=editor, role=Role.EDITOR, granted_by=leader)
    picked = {name: list(queryset[:3]) for name, queryset in services.candidates().items()}
    sent = services.create_letter(
        author=editor,
        title="Netværksbrevet – november",
        intro="Hej alle,\n\nHer er månedens bedste svar, de næste møder og det, "
        "medlemmerne søger opbakning til.",
        body="## Velkommen til nye medlemmer\n\nSig hej i forummet – vi glæder os til at møde jer.",
        audience="public",
        picked=picked,
    )
    Letter.objects.filter(pk=sent.pk).update(status=LetterStatus.SENT, sent_at=timezone.now())
    services.create_letter(
        author=editor,
        title="Netværksbrevet – december (kladde)",
        intro="Hej alle,\n\nJulemøderne er på plads.",
        body="",
        audience="members",
        picked={},
    )
    return True
