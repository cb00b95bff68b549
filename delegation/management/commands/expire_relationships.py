from django.core.management.base import BaseCommand

from delegation import services


class Command(BaseCommand):
    help = (
        "End relationships past their expiry date, lapse old requests, take departed employees off their"
        " clients and create the 30/7-day notices."
    )

    def handle(self, *args, **options):
        counts = services.expire_relationships()
        self.stdout.write(
            f"{counts['expired']} relationships expired, {counts['lapsed']} requests lapsed, "
            f"{counts['unassigned']} assignments of departed employees removed, "
            f"{counts['notified']} notifications created"
        )
