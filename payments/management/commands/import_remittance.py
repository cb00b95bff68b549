from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from payments.remittance import import_remittance


class Command(BaseCommand):
    help = "Import a remittance file of payments made outside the portal (format: README, payments/remittance.py)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        result = import_remittance(file.read_bytes(), file.name)
        self.stdout.write(f"{result.posted} posted, {result.skipped} already imported, {len(result.errors)} errors")
        for error in result.errors:
            self.stderr.write(f"line {error['line']}: {error['error']}")
