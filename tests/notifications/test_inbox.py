"""The portal inbox and the API: the unread count in the header, read, unread, archive; a person
reaches only their own notifications; preferences and defaults pages refuse bad input clearly in
both languages."""

import html

from audit.models import AuditEntry
from notifications import services
from notifications.models import Notification
from tests.conftest import sign_in


def _tell(person, key="R-1"):
    [notice] = services.emit(
        "ruling.status_changed", people=[person], key=key, context={"reference": "R-2026-0042", "status": "issued"}
    )
    return notice


def test_the_header_shows_the_unread_count_and_the_inbox_lists_them(client, alice):
    _tell(alice, "R-1")
    _tell(alice, "R-2")
    sign_in(client, alice)
    page = client.get("/en/notifications/").content.decode()
    assert "Notifications (2 unread)" in page
    assert "Ruling request R-2026-0042 is now issued." in page
    assert "Email: Queued" in page  # the delivery status, shown
    french = client.get("/fr/notifications/").content.decode()
    assert "Notifications (2 non lues)" in french and "Mes notifications" in french


def test_read_unread_and_archive(client, alice):
    notice = _tell(alice)
    sign_in(client, alice)
    client.post(f"/en/notifications/{notice.pk}/read/", {"read": "1"})
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Notifications (0 unread)" in client.get("/en/notifications/").content.decode()
    client.post(f"/en/notifications/{notice.pk}/read/", {"read": "0"})
    notice.refresh_from_db()
    assert notice.read_at is None
    client.post(f"/en/notifications/{notice.pk}/archive/")
    assert not Notification.objects.inbox_of(alice).exists()
    assert "R-2026-0042" in client.get("/en/notifications/?archived=1").content.decode()


def test_another_person_s_notification_is_out_of_reach(client, alice, charlie, api):
    theirs = _tell(charlie)
    sign_in(client, alice)
    assert client.post(f"/en/notifications/{theirs.pk}/archive/").status_code == 404
    assert api(alice)("post", f"notifications/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived_at is None and theirs.read_at is None
    assert AuditEntry.objects.filter(action="access.denied", after__object="notifications.Notification").exists()


def test_the_api_lists_my_notifications_and_their_deliveries(alice, charlie, api):
    mine = _tell(alice)
    _tell(charlie)
    call = api(alice)
    listed = call("get", "notifications").json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert listed["results"][0]["deliveries"] == [
        {"channel": "email", "status": "queued", "attempts": 0, "sent_at": None}
    ]
    assert call("get", "notifications/unread-count").json() == {"unread": 1}
    assert call("post", f"notifications/{mine.pk}/read").json()["read"] is True
    assert call("get", "notifications/unread-count").json() == {"unread": 0}
    assert call("post", f"notifications/{mine.pk}/archive").json()["archived"] is True
    assert call("get", "notifications").json()["results"] == []


def test_the_api_refuses_bad_preferences_with_structured_errors(alice, api):
    call = api(alice)
    silenced = call("put", "notifications/preferences", {"kind": "payment.failed", "channels": []})
    assert silenced.status_code == 400
    assert silenced.json()["errors"][0]["field"] == "channels"
    assert silenced.json()["errors"][0]["code"] == "mandatory_event"
    unknown = call("put", "notifications/preferences", {"kind": "payment.lost", "channels": ["email"]})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == "unknown_event_kind"
    phone = call("put", "notifications/profile", {"phone": "12345", "daily_digest": False})
    assert phone.status_code == 400
    assert phone.json()["errors"] == [
        {
            "field": "phone",
            "code": "invalid_phone",
            "message": "“12345” is not a phone number. Write it as +1 613 555 0123.",
        }
    ]
    ok = call("put", "notifications/preferences", {"kind": "payment.failed", "channels": ["inbox"]})
    assert ok.json() == {"kind": "payment.failed", "channels": ["inbox"]}
    chosen = {row["kind"]: row["channels"] for row in call("get", "notifications/preferences").json()}
    assert chosen["payment.failed"] == ["inbox"] and chosen["statement.issued"] == ["email", "inbox"]


def test_business_defaults_through_the_api_are_for_its_bams(maple, alice, reader, api):
    response = api(alice)(
        "put", "notifications/business-defaults/123456782", {"kind": "statement.issued", "channels": ["inbox"]}
    )
    assert response.status_code == 200
    assert api(reader)("get", "notifications/business-defaults/123456782").status_code == 404


def test_the_preferences_page_refuses_a_silenced_money_event_and_a_bad_phone_in_french(client, olivia):
    sign_in(client, olivia, language="fr")
    response = client.post("/fr/notifications/preferences/", {"phone": "12345", "statement.issued:inbox": ""})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "« 12345 » n'est pas un numéro de téléphone." in page
    response = client.post("/fr/notifications/preferences/", {"phone": ""})  # every box unticked
    page = html.unescape(response.content.decode())
    assert "« Relevé de compte produit » ne peut pas être désactivé" in page
    assert not olivia.notification_preferences.exists()  # all or nothing


def test_the_preferences_page_saves_choices(client, alice):
    sign_in(client, alice)
    form = {"phone": "613-555-0123", "daily_digest": "on"}
    form.update({f"{kind.code}:inbox": "on" for kind in services.kinds()})
    form["payment.failed:sms"] = "on"
    response = client.post("/en/notifications/preferences/", form)
    assert response.status_code == 302
    assert services.profile_of(alice).phone == "+16135550123"
    assert services.channels_for(alice, "payment.failed") == {"inbox", "sms"}
    assert services.channels_for(alice, "statement.issued") == {"inbox"}


def test_the_business_defaults_page_is_for_bams_only(client, maple, alice, reader):
    sign_in(client, reader)
    assert client.get("/en/notifications/business/123456782/defaults/").status_code == 404
    assert (
        "/notifications/business/123456782/defaults/"
        not in client.get("/en/notifications/preferences/").content.decode()
    )
    client.logout()
    sign_in(client, alice)
    assert (
        "/en/notifications/business/123456782/defaults/"
        in client.get("/en/notifications/preferences/").content.decode()
    )
    page = client.get("/en/notifications/business/123456782/defaults/").content.decode()
    assert "Notification defaults of Maple Leaf Imports Inc." in page
