"""A newcomer can sign in as the demo people straight after `make run`."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.demo import DEMO_PEOPLE
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_demo_person_enrolled_and_is_safe_to_repeat():
    call_command("seed_demo")
    call_command("seed_demo")
    emails = [person[0] for person in DEMO_PEOPLE]
    assert User.objects.filter(email__in=emails).count() == len(DEMO_PEOPLE)
    enrolled = Authenticator.objects.filter(type=Authenticator.Type.TOTP, user__email__in=emails)
    assert enrolled.count() == len(DEMO_PEOPLE)  # each once, however often the demo is loaded
    assert User.objects.get(email="olivia@cbsa.example").is_staff


def test_demo_totp_prints_a_code_that_signs_the_person_in(client, capsys):
    call_command("seed_demo")
    capsys.readouterr()
    client.post("/en/account/login/", {"login": "bob@northern.example", "password": "Demo-pass-2026"})
    call_command("demo_totp", "bob@northern.example")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post("/en/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="bob@northern.example").pk)
