"""Notifications move to their own app (notifications.Notification): copy every
row, pointing at its post (or its thread when it has no post), keep the ids,
then drop the forum's table."""

from django.core.management.color import no_style
from django.db import migrations

BATCH = 2000


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="forum", model=model)[0]


def _reset_sequence(apps, schema_editor, model):
    sql = schema_editor.connection.ops.sequence_reset_sql(
        no_style(), [model]
    )
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def copy_forward(apps, schema_editor):
    Old = apps.get_model("forum", "Notification")
    New = apps.get_model("notifications", "Notification")
    if not Old.objects.exists():
        return
    post_type = _content_type(apps, "post")
    thread_type = _content_type(apps, "thread")
    rows = Old.objects.order_by("pk").iterator(chunk_size=BATCH)
    batch = []
    for old in rows:
        if old.post_id:
            subject_type, subject_id = post_type, old.post_id
        elif old.thread_id:
            subject_type, subject_id = thread_type, old.thread_id
        else:
            subject_type, subject_id = None, None
        batch.append(
            New(
                pk=old.pk,
                recipient_id=old.recipient_id,
                kind=old.kind,
                actor_id=old.actor_id,
                subject_type=subject_type,
                subject_id=subject_id,
                message=old.message,
                link=old.link,
                count=old.count,
                created_at=old.created_at,
                read_at=old.read_at,
                emailed_at=old.emailed_at,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    _reset_sequence(apps, schema_editor, New)


def copy_back(apps, schema_editor):
    Old = apps.get_model("forum", "Notification")
    New = apps.get_model("notifications", "Notification")
    Post = apps.get_model("forum", "Post")
    types = {
        _content_type(apps, "post").pk: "post",
        _content_type(apps, "thread").pk: "thread",
    }
    batch = []
    for new in New.objects.order_by("pk").iterator(chunk_size=BATCH):
        kind = types.get(new.subject_type_id)
        thread_id = post_id = None
        if kind == "post":
            post_id = new.subject_id
            thread_id = Post.objects.filter(pk=post_id).values_list("thread_id", flat=True).first()
            if thread_id is None:
                continue
        elif kind == "thread":
            thread_id = new.subject_id
        batch.append(
            Old(
                pk=new.pk, recipient_id=new.recipient_id, kind=new.kind[:12],
                actor_id=new.actor_id, thread_id=thread_id, post_id=post_id,
                message=new.message, link=new.link, count=new.count,
                created_at=new.created_at, read_at=new.read_at, emailed_at=new.emailed_at,
            )
        )  # fmt: skip
    Old.objects.bulk_create(batch)
    _reset_sequence(apps, schema_editor, Old)
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0020_notice_kind"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
