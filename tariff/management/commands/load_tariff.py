from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tariff.loader import LoadError, load_schedule
from tariff.management.report import print_report
from tariff.search import precompute_embeddings
from tariff.sources import SourceError


class Command(BaseCommand):
    help = (
        "Load a Customs Tariff schedule file (CBSA TPHS export, or the MFN/UST/MXT/GT column subset) as a "
        "new dated version. Re-loading the same file does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--effective-date",
            type=date.fromisoformat,
            help="YYYY-MM-DD the version takes effect; default: the file's latest EFF_DATE (required without one).",
        )
        parser.add_argument("--label", default="", help="Name of the version, e.g. T2026 (default: the file name).")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll back.")

    def handle(self, path, effective_date, label, dry_run, **options):
        try:
            report = load_schedule(path, effective_date=effective_date, label=label, dry_run=dry_run)
        except (LoadError, SourceError, OSError) as error:
            raise CommandError(str(error)) from error
        print_report(self, report, path)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif not report.already_loaded:
            self.stdout.write(f"  search vectors computed: {precompute_embeddings(report.version)}")
