from django.core.management.base import BaseCommand

from payments.services import reconcile_pending


class Command(BaseCommand):
    help = "Resolve card payments left pending (no answer from the gateway) against the gateway. Safe to run again."

    def handle(self, *args, **options):
        self.stdout.write(f"{reconcile_pending()} pending payments resolved")
