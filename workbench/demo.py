"""Demo data of the workbench (seed_demo runs `seed` last): a client's question waiting in the
support queue, and a registration that needs an officer's manual check. Safe to run again."""

from accounts.models import User

from .models import SupportRequest


def seed(stdout=None):
    rita = User.objects.get(email="rita@maple.example")
    SupportRequest.objects.get_or_create(
        asked_by=rita,
        subject="Interest on our January statement",
        defaults={"question": "Why was interest charged on RM0001 when we paid on the due date?", "bn9": "123456782"},
    )
    SupportRequest.objects.get_or_create(
        asked_by=User.objects.get(email="tina@tidewater.example"),
        kind=SupportRequest.Kind.REGISTRATION,
        subject="Cannot answer the identity questions for Prairie Goods Co.",
        defaults={"question": "The registry's postal code for 456789122 is out of date.", "bn9": "456789122"},
    )
    if stdout:
        stdout.write("  workbench: 2 support requests waiting")
