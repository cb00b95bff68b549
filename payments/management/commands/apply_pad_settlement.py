from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from payments.settlement import apply_settlement_file


class Command(BaseCommand):
    help = "Apply the bank's PAD settlement file (CSV: reference,outcome with outcome settled or nsf). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        result = apply_settlement_file(file.read_bytes())
        self.stdout.write(
            f"{result['settled']} settled, {result['returned']} returned (NSF), {result['unchanged']} unchanged, "
            f"{len(result['errors'])} errors"
        )
        for error in result["errors"]:
            self.stderr.write(f"line {error['line']}: {error['error']}")
