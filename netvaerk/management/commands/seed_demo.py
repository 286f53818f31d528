from django.core.management.base import BaseCommand
from django.utils import translation

from accounts import demo
from datepolls import demo as datepolls_demo
from duties import demo as duties_demo
from forum import demo as forum_demo
from imports import demo as imports_demo
from indsigt import demo as indsigt_demo
from kaffe import demo as kaffe_demo
from letters import demo as letters_demo
from moderation import demo as moderation_demo
from moeder import demo as moeder_demo
from needs import demo as needs_demo
from relay import demo as relay_demo
from velkomst import demo as velkomst_demo
from viden import demo as viden_demo


class Command(BaseCommand):
    help = "Create the demo network (idempotent) and print one login per role."

    def handle(self, *args, **options):
        with translation.override("da"):
            logins, created = demo.seed()
            created = forum_demo.seed() or created
            created = moderation_demo.seed() or created
            created = duties_demo.seed() or created
            created = moeder_demo.seed() or created
            created = needs_demo.seed() or created
            created = datepolls_demo.seed() or created
            created = indsigt_demo.seed() or created
            created = relay_demo.seed() or created
            created = velkomst_demo.seed() or created
            created = kaffe_demo.seed() or created
            created = imports_demo.seed() or created
            created = viden_demo.seed() or created
            created = letters_demo.seed() or created
            created = demo.seed_pictures() or created
            if created:
                self.stdout.write(self.style.SUCCESS("Demo data created."))
            else:
                self.stdout.write("Demo data already present; nothing added.")
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
            for email, name, role in logins:
                self.stdout.write(f"  {role:<22} {email:<32} {name}")
            self.stdout.write("")
            self.stdout.write(
                "Moderators and network leaders turn on two-factor authentication "
                "(any authenticator app) before they can use their powers."
            )
