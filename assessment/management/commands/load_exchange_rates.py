from django.core.management.base import BaseCommand, CommandError

from assessment import exchange


class Command(BaseCommand):
    help = (
        "Load Bank of Canada daily exchange rates from its CSV (date,FXUSDCAD,...) or a Valet JSON response. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            count = exchange.load(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{count} rates in {path} (those already loaded were kept).")
