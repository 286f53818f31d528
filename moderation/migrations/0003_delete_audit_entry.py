"""The audit log now lives in accounts (copied there by 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_copy_audit_entries")]

    operations = [
        migrations.RemoveIndex(model_name="auditentry", name="moderation_audit_target"),
        migrations.DeleteModel(name="AuditEntry"),
    ]
