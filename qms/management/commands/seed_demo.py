"""Fill the database with the demo organisation (safe to run twice)."""

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from qms import demo
from qms.discovery import discover


class Command(BaseCommand):
    help = "Create a believable demo organisation with staff in every role."

    def handle(self, *args, **options) -> None:
        # Demo workflows send letters; they must never reach a real mailbox
        # (demo addresses are made up) nor clutter the console.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            ctx = demo.seed()
            # Each area may bring <app>/demo.py with seed(ctx), seeded in the
            # order of INSTALLED_APPS (an area after those it builds on).
            for label, module in discover("demo"):
                if label != "qms":
                    module.seed(ctx)
        made = ", ".join(f"{n} {what}" for what, n in ctx.created.items() if n)
        self.stdout.write(f"Demo data ready ({made or 'nothing new'}).")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, first, last, role, *_rest in demo.STAFF:
            self.stdout.write(f"  {username:<8} {first} {last} — {role}")
        self.stdout.write("  admin    System Administrator — superuser (admin site)")
