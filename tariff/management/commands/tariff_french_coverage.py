from datetime import date

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from tariff.loader import FRENCH_EDITION_DAY
from tariff.models import Chapter, FrenchSource, LegalNote, Section, TariffLine


class Command(BaseCommand):
    help = "Count the tariff text that has French on a day: rows by level and source, titles, notes."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=FRENCH_EDITION_DAY, help="YYYY-MM-DD")

    def handle(self, as_of, **options):
        write = self.stdout.write
        write(f"French text of the tariff in force on {as_of.isoformat()}")
        counts = (
            TariffLine.objects.as_of(as_of)
            .values("level")
            .annotate(
                total=Count("pk"),
                cbsa=Count("pk", filter=Q(description_fr_source=FrenchSource.CBSA)),
                hs=Count("pk", filter=Q(description_fr_source=FrenchSource.HS)),
            )
        )
        for row in sorted(counts, key=lambda row: list(TariffLine.Level).index(row["level"])):
            french = row["cbsa"] + row["hs"]
            write(
                f"  {TariffLine.Level(row['level']).label:<22} {french:>6} of {row['total']:>6} in French"
                f" ({_share(french, row['total'])}): Customs Tariff {row['cbsa']}, Harmonized System {row['hs']}"
            )
        for label, queryset, field in (
            ("section titles", Section.objects.all(), "title"),
            ("chapter titles", Chapter.objects.all(), "title"),
            ("section and chapter notes", LegalNote.objects.as_of(as_of), "text"),
        ):
            total, french = queryset.count(), queryset.exclude(**{f"{field}_fr": ""}).count()
            sources = queryset.exclude(**{f"{field}_fr": ""}).values_list(f"{field}_fr_source").annotate(Count("pk"))
            cbsa, hs = (dict(sources).get(source, 0) for source in (FrenchSource.CBSA, FrenchSource.HS))
            write(
                f"  {label:<26} {french:>6} of {total:>6} in French ({_share(french, total)}):"
                f" Customs Tariff {cbsa}, Harmonized System {hs}"
            )


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"
