from django.core.management.base import BaseCommand

from netvaerk.mail import prune_sent_mail
from notifications import tasks


class Command(BaseCommand):
    help = (
        "Queue the personal digests due now (weekly ones on the first run of the week), "
        "the daily notification summaries and the pruning of sent mail "
        "(run once a day in the morning, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of the worker."
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = tasks.send_digests.call()
            self.stdout.write(f"Sent {sent} digests and summaries.")
        else:
            tasks.send_digests.enqueue()
            self.stdout.write("Queued the digests and daily summaries for the task worker.")
        # Finished mail tasks hold the mails' text (reset links among them).
        prune_sent_mail.enqueue()
