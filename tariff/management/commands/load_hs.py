from django.core.management.base import BaseCommand, CommandError

from tariff.loader import load_hs
from tariff.management.report import print_report
from tariff.sources import SourceError


class Command(BaseCommand):
    help = "Load the Harmonized System nomenclature (CSV: section, hscode, description, parent, level)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--edition", type=int, required=True, help="HS edition year, e.g. 2022")

    def handle(self, path, edition, **options):
        try:
            report = load_hs(path, edition)
        except (SourceError, OSError) as error:
            raise CommandError(str(error)) from error
        print_report(self, report, path)
