"""A small imported thread for the demo network (for `manage.py seed_demo`):
one thread from "den gamle mailingliste", by a member and by someone who has
not joined yet (a placeholder member)."""

from datetime import UTC, datetime

from accounts.demo import demo_email
from forum.models import Category
from imports.models import Format, ImportedItem, ImportRun
from imports.services import run_import
from imports.sources import Author, Entry, Report

SOURCE = "den gamle mailingliste"


def seed() -> bool:
    if ImportedItem.objects.filter(format=Format.MBOX, source_id="<demo-1@liste>").exists():
        return False
    category = Category.objects.ordered().first()
    if category is None:
        return False
    ida = Author(key=f"email:{demo_email('ida')}", name="Ida Brandt", email=demo_email("ida"))
    poul = Author(key="email:poul@example.com", name="Poul Hansen", email="poul@example.com")
    entries = [
        Entry(source_id="<demo-1@liste>", author=poul, title="Erfaringer med fakturaprogrammer?",
              created_at=datetime(2019, 3, 4, 9, 30, tzinfo=UTC), kind="question",
              body="Hvilket fakturaprogram bruger I? Jeg er træt af regneark."),
        Entry(source_id="<demo-2@liste>", parent_id="<demo-1@liste>", author=ida,
              created_at=datetime(2019, 3, 4, 12, 5, tzinfo=UTC),
              body="Jeg har brugt **Dinero** i to år og er glad for det."),
    ]  # fmt: skip
    report = Report()
    run = ImportRun(format=Format.MBOX, source_name=SOURCE, category=category)
    run_import(run=run, entries=iter(entries), report=report, category=category)
    return True
