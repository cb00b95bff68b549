from django.core.management.base import BaseCommand

from declarations import codes


class Command(BaseCommand):
    help = "Reload the D17-1-10 code lists from declarations/codelists/*.csv (after an edit of a list)."

    def handle(self, *args, **options):
        count = codes.load()
        self.stdout.write(f"{count} codes loaded from {len(codes.lists())} lists")
