"""Fill the database with the demo organisation (safe to run twice)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from qms import demo
from qms.areas import Area


class Command(BaseCommand):
    help = "Create a believable demo organisation with staff in every role."

    def handle(self, *args, **options) -> None:
        # Demo workflows send letters; they must never reach a real mailbox
        # (demo addresses are made up) nor clutter the console.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            ctx = demo.seed()
            # Each area app is named after its area and may bring <app>/demo.py.
            for label in Area.values[1:]:
                module = f"{apps.get_app_config(label).name}.demo"
                if find_spec(module) is not None:
                    import_module(module).seed(ctx)
        made = ", ".join(f"{n} {what}" for what, n in ctx.created.items() if n)
        self.stdout.write(f"Demo data ready ({made or 'nothing new'}).")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, first, last, role, *_rest in demo.STAFF:
            self.stdout.write(f"  {username:<8} {first} {last} — {role}")
        self.stdout.write("  admin    System Administrator — superuser (admin site)")
