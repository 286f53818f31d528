"""Install the default community guidelines (Danish and English)."""

from pathlib import Path

from django.db import migrations

GUIDELINES_DIR = Path(__file__).resolve().parent.parent / "guidelines"


def install_defaults(apps, schema_editor):
    from netvaerk.markup import render_markdown

    Guidelines = apps.get_model("accounts", "Guidelines")
    for language in ("da", "en"):
        body = (GUIDELINES_DIR / f"{language}.md").read_text(encoding="utf-8")
        Guidelines.objects.get_or_create(
            language=language, defaults={"body": body, "body_html": render_markdown(body)}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
