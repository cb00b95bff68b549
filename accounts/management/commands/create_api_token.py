from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="script")
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--business", default="", help="limit the token to one business (BN9)")

    def handle(self, *args, email, name, days, business, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {email}")
        try:
            _token, key = create_api_token(user, name=name, days=days, business_number=business)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
