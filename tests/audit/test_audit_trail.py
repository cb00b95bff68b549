"""The audit trail is append-only evidence of who did what."""

import pytest
from django.db import connection

from audit.models import AppendOnlyError, AuditEntry
from audit.services import record
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_is_recorded_with_who_and_where_from(client, alice):
    sign_in(client, alice)
    entry = AuditEntry.objects.get(action="auth.sign_in")
    assert entry.actor == alice
    assert entry.ip_address == "127.0.0.1"
    assert entry.channel == "web"


def test_an_entry_cannot_be_changed(alice):
    entry = record("test.something", actor=alice, obj=alice, after={"x": 1})
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")


def test_an_entry_cannot_be_deleted(alice):
    entry = record("test.something", actor=alice)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_the_database_itself_refuses_rewriting_history(alice):
    from django.db import DatabaseError, transaction

    entry = record("test.something", actor=alice)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def test_officers_cannot_add_change_or_delete_entries_in_the_admin(client, olivia):
    olivia.is_superuser = True
    olivia.save()
    sign_in(client, olivia)
    entry = record("test.something", actor=olivia)
    assert client.get(f"/en/admin/audit/auditentry/{entry.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/en/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/en/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_mfa_changes_are_recorded(client, alice, django_capture_on_commit_callbacks):
    sign_in(client, alice)
    next_url = "/en/account/2fa/recovery-codes/generate/"
    client.post(f"/en/account/reauthenticate/?next={next_url}", {"password": "Demo-pass-2026"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(next_url, {})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="mfa.reset", actor=alice).exists()


def test_a_wrong_second_factor_is_recorded(client, alice):
    client.post("/en/account/login/", {"login": alice.email, "password": "Demo-pass-2026"})
    client.post("/en/account/2fa/authenticate/", {"code": "000000"})
    assert AuditEntry.objects.filter(action="mfa.code_failed", actor=alice).exists()


def test_hostile_input_with_nul_characters_is_still_recorded(alice):
    """PostgreSQL's JSON refuses NUL: a refused CAD's payload is kept with U+FFFD in their place."""
    record("declarations.rejected", actor=alice, after={"payload": {"importer\x00": ["x\x00y"]}})
    assert AuditEntry.objects.get(action="declarations.rejected").after == {"payload": {"importer\ufffd": ["x\ufffdy"]}}
