"""Demo relationships: Northern Customs Brokers (bob) works for Maple Leaf Imports (business level,
all three visibility rules, may pay, one year); Tidewater (tina) waits for Maple's answer on RM0002.
Safe to run again."""

from accounts.models import User
from businesses.models import Business

from . import services
from .models import Relationship


def seed(stdout=None):
    maple = Business.objects.get(bn9="123456782")
    northern = Business.objects.get(bn9="123026635")
    tidewater = Business.objects.get(bn9="876543216")
    alice = User.objects.get(email="alice@maple.example")
    bob = User.objects.get(email="bob@northern.example")
    tina = User.objects.get(email="tina@tidewater.example")
    if not Relationship.objects.in_force().filter(provider=northern, importer=maple).exists():
        Relationship.objects.pending().filter(provider=northern, importer=maple).delete()
        pending = services.request_relationship(bob, northern, maple.bn9, scope=Relationship.Scope.BUSINESS)
        relationship = services.approve(
            alice, pending, sees_provider=True, sees_importer=True, sees_others=True, allows_payments=True
        )
        services.assign(bob, relationship, "editor", user=bob)
    if not Relationship.objects.filter(provider=tidewater, importer=maple, status__in=["pending", "active"]).exists():
        services.request_relationship(
            tina,
            tidewater,
            maple.bn9,
            scope=Relationship.Scope.PROGRAM,
            accounts=["123456782RM0002"],
            note="We prepare your RM0002 declarations.",
        )
    if stdout:
        stdout.write("  demo relationships: Northern for Maple (approved), Tidewater for Maple (pending)")
