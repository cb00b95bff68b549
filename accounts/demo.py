"""Demo people for a newcomer to sign in as (README lists them). Safe to run again."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings

from rights import OfficerRole
from rights.models import OfficerAppointment

from .models import User

DEMO_PEOPLE = [
    # email, legal name, preferred language, officer roles
    ("alice@maple.example", "Alice Tremblay", "en", ()),
    ("rita@maple.example", "Rita Singh", "en", ()),
    ("bob@northern.example", "Bob Leblanc", "fr", ()),
    ("tina@tidewater.example", "Tina Okafor", "en", ()),
    ("olivia@cbsa.example", "Olivia Gagnon", "fr", (OfficerRole.SUPERVISOR,)),
    ("remi@cbsa.example", "Rémi Côté", "fr", (OfficerRole.REVENUE,)),
    ("tariq@cbsa.example", "Tariq Haddad", "en", (OfficerRole.TRADE,)),
    ("rose@cbsa.example", "Rose MacNeil", "en", (OfficerRole.RECOURSE,)),
    ("aude@cbsa.example", "Aude Lavoie", "fr", (OfficerRole.AUDITOR,)),
    ("bruno@cbsa.example", "Bruno Tremblay", "fr", (OfficerRole.BORDER,)),
    # the release systems' service account: API tokens only in production (create_api_token)
    ("release-system@cbsa.example", "CBSA release system", "en", (OfficerRole.RELEASE_SYSTEM,)),
]


def ensure_person(email: str, legal_name: str, language: str = "en", officer_roles=()) -> User:
    """A verified person with the demo password and TOTP + recovery codes enrolled; a CBSA
    employee (staff) appointed to `officer_roles`."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"legal_name": legal_name, "preferred_language": language, "is_staff": bool(officer_roles)},
    )
    for role in officer_roles:
        OfficerAppointment.objects.get_or_create(
            user=user, role=role, ended_at=None, defaults={"reason": "Demo officer"}
        )
    if created:
        user.set_password(settings.CARM_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    return user


def seed(stdout=None):
    for email, legal_name, language, officer_roles in DEMO_PEOPLE:
        ensure_person(email, legal_name, language, officer_roles)
    if stdout:
        stdout.write(f"  {len(DEMO_PEOPLE)} demo people ready")
