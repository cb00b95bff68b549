import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


def current_totp_code(user: User) -> str:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise CommandError(f"{user.email} has no authenticator app enrolled")
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = "Print a demo user's current six-digit sign-in code (and the secret for an authenticator app)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--secret", action="store_true", help="also print the TOTP secret")

    def handle(self, *args, email, secret, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no user {email}")
        self.stdout.write(current_totp_code(user))
        if secret:
            authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
            self.stdout.write(f"secret: {decrypt(authenticator.data['secret'])}")
