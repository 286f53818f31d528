"""Install the first pages of the handbook, and the course for new moderators."""

from pathlib import Path

from django.db import migrations

PAGES_DIR = Path(__file__).resolve().parent.parent / "initial"

# (slug, title, lesson number); the text is in initial/<slug>.md.
PAGES = [
    ("byg-videre-paa-det-der-findes", "Byg videre på det, der allerede findes", None),
    ("service-og-faelles-ansvar", "Service – men kun til en vis grænse", 1),
    ("led-ved-at-dele-viden", "Led ved at dele viden", None),
    ("lyt-til-medlemmerne-og-moed-dem", "Lyt til medlemmerne, og mød dem fysisk", 6),
    ("giv-plads-til-det-sociale", "Giv plads til det sociale", None),
    ("et-online-faellesskab-der-virker", "Et online-fællesskab, der virker", None),
    ("tonen-i-forummet", "Tonen i forummet", 2),
    ("tag-godt-imod-nye-medlemmer", "Tag godt imod nye medlemmer", 3),
    ("flag-og-laaste-traade", "Flagede indlæg og låste tråde", 4),
    ("skjul-slet-eller-saet-paa-pause", "Skjul, slet eller sæt et medlem på pause", 5),
]


def install_pages(apps, schema_editor):
    from netvaerk.markup import render_markdown

    Page = apps.get_model("handbook", "Page")
    PageRevision = apps.get_model("handbook", "PageRevision")
    for slug, title, lesson_number in PAGES:
        if Page.objects.filter(slug=slug).exists():
            continue
        body = (PAGES_DIR / f"{slug}.md").read_text(encoding="utf-8").strip()
        if lesson_number and Page.objects.filter(lesson_number=lesson_number).exists():
            lesson_number = None
        page = Page.objects.create(
            slug=slug,
            title=title,
            body=body,
            body_html=render_markdown(body),
            lesson_number=lesson_number,
            revision_number=1,
        )
        PageRevision.objects.create(page=page, number=1, title=title, body=body)


def remove_pages(apps, schema_editor):
    """Remove the installed pages, unless a leader has changed them since."""
    Page = apps.get_model("handbook", "Page")
    Page.objects.filter(slug__in=[slug for slug, _, _ in PAGES], revision_number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("handbook", "0001_initial")]

    operations = [migrations.RunPython(install_pages, remove_pages)]
