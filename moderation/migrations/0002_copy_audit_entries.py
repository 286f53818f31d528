"""Copy the audit log into its new home, accounts.AuditEntry, keeping every
entry's primary key; the old table is dropped by the next migration."""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "id",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "target_url",
    "reason",
    "details",
    "created_at",
]


def _copy(apps, schema_editor, source, target):
    Source = apps.get_model(*source)
    Target = apps.get_model(*target)
    db = schema_editor.connection.alias
    batch = []
    for row in Source.objects.using(db).order_by("pk").values(*FIELDS).iterator(chunk_size=1000):
        batch.append(Target(**row))
        if len(batch) == 1000:
            Target.objects.using(db).bulk_create(batch)
            batch = []
    Target.objects.using(db).bulk_create(batch)
    # Rows came with their ids: move the id sequence past them (PostgreSQL).
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _copy(apps, schema_editor, ("moderation", "AuditEntry"), ("accounts", "AuditEntry"))


def backwards(apps, schema_editor):
    _copy(apps, schema_editor, ("accounts", "AuditEntry"), ("moderation", "AuditEntry"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_audit_entry"),
        ("moderation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
