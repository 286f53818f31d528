"""Install the default privacy policy (Danish and English)."""

from pathlib import Path

from django.db import migrations

POLICY_DIR = Path(__file__).resolve().parent.parent / "privacy_policy"


def install_defaults(apps, schema_editor):
    from netvaerk.markup import render_markdown

    PrivacyPolicy = apps.get_model("accounts", "PrivacyPolicy")
    for language in ("da", "en"):
        body = (POLICY_DIR / f"{language}.md").read_text(encoding="utf-8")
        PrivacyPolicy.objects.get_or_create(
            language=language, defaults={"body": body, "body_html": render_markdown(body)}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_profile_visibility")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
