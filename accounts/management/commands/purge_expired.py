from django.core.management.base import BaseCommand

from accounts import tasks


class Command(BaseCommand):
    help = (
        "Remove personal data past its retention period (NETVAERK_RETENTION): run once "
        "a day, e.g. from cron; it queues the work for the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Purge in this process instead of the worker."
        )

    def handle(self, *args, now=False, **options):
        if now:
            from accounts.retention import purge_all

            for name, count in purge_all().items():
                self.stdout.write(f"{name}: {count}")
        else:
            tasks.purge_expired.enqueue()
            self.stdout.write("Queued the purge of expired data for the task worker.")
