"""The demo businesses registered in the portal, each with its first BAM (README, "Demo sign-ins").
Prairie Goods Co. stays in the registry only, for a newcomer to register. Safe to run again."""

from accounts.models import User

from .models import Business
from .services import register_business
from .terms import current_terms

DEMO_BUSINESSES = [
    # BN9, kind, first BAM
    ("123456782", Business.Kind.IMPORTER, "alice@maple.example"),
    ("123026635", Business.Kind.CUSTOMS_BROKER, "bob@northern.example"),
    ("876543216", Business.Kind.TRADE_CONSULTANT, "tina@tidewater.example"),
]


def seed(stdout=None):
    for bn9, kind, email in DEMO_BUSINESSES:
        if not Business.objects.filter(bn9=bn9).exists():
            register_business(User.objects.get(email=email), bn9, kind=kind, terms=current_terms())
    if stdout:
        stdout.write(f"  {len(DEMO_BUSINESSES)} demo businesses registered")
