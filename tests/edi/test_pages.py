"""EDI pages (issue #22): the channel set-up (callback, secret rotation, subscriptions), the message
log with the raw message and its response, the delivery log; English and French."""

import pytest
from django.utils import translation

from edi import channels, wco_xml
from edi.models import Channel, Message, Subscription
from tests.conftest import sign_in

from .conftest import message


@pytest.fixture
def brenda_pages(client, broker):
    sign_in(client, broker)
    return client


def test_a_broker_sets_up_its_channel_and_sees_the_secret_once(brenda_pages, northern):
    response = brenda_pages.post("/en/edi/", {"business": northern.bn9, "action": "save",
                                              "callback_url": "https://broker.example/carm", "format": "edifact"},
                                 follow=True)  # fmt: skip
    channel = Channel.objects.get(business=northern)
    assert (channel.callback_url, channel.format) == ("https://broker.example/carm", "edifact")
    assert channel.secret in response.content.decode()
    again = brenda_pages.get(f"/en/edi/?business={northern.bn9}").content.decode()
    assert channel.secret not in again


def test_rotating_the_secret_changes_it(brenda_pages, broker, northern):
    old = channels.configure(broker, northern).channel.secret
    brenda_pages.post("/en/edi/", {"business": northern.bn9, "action": "rotate"})
    assert Channel.objects.get(business=northern).secret != old


def test_an_importer_subscribes_its_statements_to_its_brokers_channel(client, alice, maple, broker, northern, rm0001):
    channels.configure(broker, northern)
    sign_in(client, alice)
    client.post("/en/edi/", {"business": "123456782", "action": "subscribe", "program_account": rm0001.number,
                             "document": "statements", "channel": northern.bn9})  # fmt: skip
    assert Subscription.objects.get(program_account=rm0001).channel.business == northern


def test_the_message_log_shows_the_raw_message_and_its_response(brenda_pages, send, northern):
    send(wco_xml.dumps(message(reference="PAGE-1")))
    inbound = Message.objects.get(direction="in")
    log = brenda_pages.get(f"/en/edi/messages/?business={northern.bn9}").content.decode()
    assert str(inbound.correlation_id) in log
    detail = brenda_pages.get(f"/en/edi/messages/{inbound.correlation_id}/").content.decode()
    assert "FunctionalReferenceID&gt;PAGE-1" in detail and "Response: Accepted" in detail


def test_another_business_cannot_open_a_brokers_message(client, alice, maple, send):
    send(wco_xml.dumps(message()))
    sign_in(client, alice)
    inbound = Message.objects.get(direction="in")
    assert client.get(f"/en/edi/messages/{inbound.correlation_id}/").status_code == 404


def test_the_pages_are_in_french(brenda_pages, northern):
    with translation.override("fr"):
        for path in ("/fr/edi/", "/fr/edi/messages/", "/fr/edi/deliveries/"):
            page = brenda_pages.get(f"{path}?business={northern.bn9}").content.decode()
            assert "Journal des livraisons" in page and "Delivery log" not in page
