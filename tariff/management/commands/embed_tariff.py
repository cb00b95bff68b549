from django.core.management.base import BaseCommand

from tariff import embeddings
from tariff.models import DataLoad
from tariff.search import precompute_embeddings


class Command(BaseCommand):
    help = "Compute the search vectors of the latest schedule version (or --all) where they are missing."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every schedule version, oldest first")

    def handle(self, *args, all, **options):
        if embeddings.batch_encoder() is None:
            self.stdout.write("The embedding model is not installed: search stays keyword-only.")
            return
        versions = DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).order_by("effective_date")
        for version in versions if all else versions.reverse()[:1]:
            if embeddings.store_path(version).exists():
                self.stdout.write(f"{version}: vectors already computed")
                continue
            self.stdout.write(f"{version}: {precompute_embeddings(version)} descriptions embedded")
