"""Give every existing member an @handle derived from their name."""

from django.db import migrations


def fill_handles(apps, schema_editor):
    from accounts.models import handle_base

    User = apps.get_model("accounts", "User")
    taken = set(User.objects.exclude(handle=None).values_list("handle", flat=True))
    for user in User.objects.filter(handle=None).order_by("pk"):
        base = handle_base(user.display_name or user.email.split("@")[0])
        handle, n = base, 1
        while handle in taken:
            n += 1
            handle = f"{base}-{n}"
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(handle=handle)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_handle")]

    operations = [migrations.RunPython(fill_handles, migrations.RunPython.noop)]
