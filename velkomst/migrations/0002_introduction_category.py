"""The forum category where newcomers introduce themselves ("Præsentation")."""

from django.db import migrations


def create_category(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    if not Category.objects.filter(slug="praesentation").exists():
        Category.objects.create(
            name="Præsentation",
            slug="praesentation",
            description="Sig hej: hvem du er, hvad du laver, og hvad du leder efter.",
            position=5,
            read_access="members",
            start_access="members",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("velkomst", "0001_initial"),
        ("forum", "0026_thread_outcome"),
    ]

    operations = [migrations.RunPython(create_category, migrations.RunPython.noop)]
