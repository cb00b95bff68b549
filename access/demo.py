"""Demo employees: Rita reads Maple Leaf Imports' first import account. Safe to run again."""

from accounts.models import User
from businesses.models import ProgramAccount

from .models import Role
from .services import set_role


def seed(stdout=None):
    account = ProgramAccount.objects.get(number="123456782RM0001")
    alice = User.objects.get(email="alice@maple.example")
    set_role(alice, account, Role.READER, user=User.objects.get(email="rita@maple.example"))
    if stdout:
        stdout.write("  demo employees linked")
