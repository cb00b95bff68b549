"""Every change of a ruling request's status reaches the people who may see the request (notifications'
"ruling.status_changed"), not the person who made it, and not a broker the importer's visibility
rules keep from the importer's own records."""

from notifications.models import Notification
from rulings import services


def told(case_number) -> dict[str, set[str]]:
    by_status = {}
    for notice in Notification.objects.filter(kind="ruling.status_changed").select_related("recipient"):
        if case_number in notice.message:
            by_status.setdefault(notice.message.rsplit(" ", 1)[-1].rstrip("."), set()).add(notice.recipient.email)
    return by_status


def test_each_status_change_reaches_who_may_see_the_request(filed, alice, reader, relate, brenda, olivia):
    relate("business", person=brenda, sees_importer=False)  # Northern sees its own records only
    ruling = filed()  # Alice submits, Olivia assigns
    services.transition(
        olivia,
        ruling,
        services.Event.RENDERED,
        classification=ruling.proposed_classification,
        reasons="GIR 1.",
        today=ruling.submitted_on,
    )

    assert told(ruling.case_number) == {
        "Submitted": {reader.email},  # Alice filed it herself
        "Assigned": {alice.email, reader.email},
        "Rendered": {alice.email, reader.email},
    }
