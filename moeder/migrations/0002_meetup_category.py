"""The forum category that holds one discussion thread per meetup."""

from django.db import migrations


def create(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    Category.objects.get_or_create(
        slug="moeder",
        defaults={
            "name": "Møder",
            "description": "Én tråd til hvert møde: spørgsmål før, noter og links efter.",
            "position": 7,
            "read_access": "members",
            "start_access": "staff",
        },
    )


def remove(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    Category.objects.filter(slug="moeder", threads__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("moeder", "0001_meetups"), ("forum", "0002_default_categories")]

    operations = [migrations.RunPython(create, remove)]
