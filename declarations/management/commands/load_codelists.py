from django.core.management.base import BaseCommand

from declarations import codes


class Command(BaseCommand):
    help = (
        "Bring the D17-1-10 code lists to declarations/codelists/*.csv (migrate does it too): "
        "in one transaction, and only when they differ."
    )

    def handle(self, *args, **options):
        count = codes.sync()
        if count:
            self.stdout.write(f"{count} codes loaded from {len(codes.lists())} lists")
        else:
            self.stdout.write("The code lists already match their CSVs: nothing written.")
