import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from security import review


class Command(BaseCommand):
    help = (
        "Run the RPP security annual review for a day (resumable, idempotent), then suspend RPP where a "
        "review deadline has passed without the security posted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the review day, YYYY-MM-DD (default: today)")
        parser.add_argument("--deadlines-only", action="store_true", help="only suspend after missed deadlines")

    def handle(self, *args, day=None, deadlines_only=False, **options):
        try:
            on = dt.date.fromisoformat(day) if day else dt.date.today()
        except ValueError:
            raise CommandError(f"not a date: {day!r} (YYYY-MM-DD)") from None
        if not deadlines_only:
            run = review.annual_review(on, progress=lambda done, total: self.stdout.write(f"  {done}/{total}"))
            rose = run.results.filter(rose=True).count()
            self.stdout.write(f"review of {on}: {run.total} accounts, {rose} rose, deadline {run.due_by}")
        suspended = review.enforce_deadlines(on)
        self.stdout.write(f"suspended after a missed deadline: {suspended}")
