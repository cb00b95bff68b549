from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tariff.loader import LoadError, load_notes
from tariff.management.report import print_report
from tariff.sources import SourceError


class Command(BaseCommand):
    help = "Load section and chapter titles and legal notes (section-notes and chapter-notes CSV files)."

    def add_arguments(self, parser):
        parser.add_argument("sections_csv")
        parser.add_argument("chapters_csv")
        parser.add_argument("--effective-date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--label", default="")

    def handle(self, sections_csv, chapters_csv, effective_date, label, **options):
        try:
            report = load_notes(sections_csv, chapters_csv, effective_date, label)
        except (LoadError, SourceError, OSError) as error:
            raise CommandError(str(error)) from error
        print_report(self, report, sections_csv)
