from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from declarations import legacy, uploads


class Command(BaseCommand):
    help = "Convert pre-CARM B3s (a CSV file or .xlsx workbook of their lines) to as-declared CADs."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="email", required=True, help="The person converting (their rights apply)")

    def handle(self, path, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No person has the e-mail address {email}.")
        with open(path, "rb") as file:
            upload = SimpleUploadedFile(path, file.read())
        try:
            rows = uploads.read_lines(upload, legacy.COLUMNS, uploads.MAX_ROWS)
        except uploads.UploadError as error:
            raise CommandError("; ".join(f"row {e.row} {e.column}: {e.message}" for e in error.errors)) from None
        result = legacy.convert(user, rows)
        for row, column, message in result.errors:
            self.stderr.write(f"row {row}, {column}: {message}")
        self.stdout.write(f"{len(result.created)} converted, {len(result.skipped)} already converted, "
                          f"{len(result.errors)} errors")  # fmt: skip
