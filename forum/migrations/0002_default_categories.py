"""The categories a new network starts with; leaders change them later."""

from django.db import migrations

CATEGORIES = [
    ("Spørgsmål & svar", "spoergsmaal-og-svar",
     "Stil et spørgsmål, og få svar fra andre selvstændige.", "members", "members"),
    ("Viden & erfaringer", "viden-og-erfaringer",
     "Del det, du har lært: gode råd, værktøjer og erfaringer.", "members", "members"),
    ("Annoncer & nyheder", "annoncer-og-nyheder",
     "Nyt fra netværket. Kun netværksansvarlige og moderatorer starter tråde her.",
     "everyone", "staff"),
    ("Lokalt", "lokalt", "Nyt og spørgsmål fra dit lokalområde.", "members", "members"),
    ("Socialt", "socialt", "Kaffe, julefrokost og alt det andet.", "members", "members"),
    ("Netværksansvarlige", "netvaerksansvarlige",
     "Lukket rum for moderatorer og netværksansvarlige.", "staff", "staff"),
]  # fmt: skip


def create_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (name, slug, description, read, start) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "position": position,
                "read_access": read,
                "start_access": start,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
