from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo data of every app (settings.CARM_DEMO_SEEDERS, in order). Safe to run again."

    def handle(self, *args, **options):
        for dotted in settings.CARM_DEMO_SEEDERS:
            self.stdout.write(f"{dotted}:")
            with transaction.atomic():
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
