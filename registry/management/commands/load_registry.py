from django.core.management.base import BaseCommand, CommandError

from registry.loader import RegistryFileError, load_registry


class Command(BaseCommand):
    help = "Load the local CRA registry from a folder of CSV files (format: registry/loader.py, README)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, folder, **options):
        try:
            counts = load_registry(folder)
        except (RegistryFileError, OSError) as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count} rows")
