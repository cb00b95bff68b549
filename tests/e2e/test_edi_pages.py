"""Alice (Maple's BAM) sets up Maple's EDI channel in the browser, in English and in French: the
callback and format, the shared secret shown once, a subscription of RM0001's statements; then the
message log, a message with its raw text and response, and the delivery log. Every page is
screenshotted and checked with axe-core."""

import re

import pytest

from edi import services, wco_xml, wire
from tests.e2e.conftest import sign_in


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_sets_up_its_edi_channel_and_reads_its_messages(page, live_server, checker, maple, alice, language):
    from businesses.models import Business
    from edi.models import Channel, Subscription

    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/edi/")
    checker.check(f"channel-new-{language}")
    page.locator("input#id_callback_url").fill("https://maple.example/carm/edi")
    page.locator("select#id_format").select_option("edifact")
    page.locator("form:has(input[value=save]) gcds-button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    channel = Channel.objects.get(business__bn9="123456782")
    assert channel.format == "edifact" and page.get_by_text(channel.secret).is_visible()
    checker.check(f"channel-saved-{language}")
    page.locator("select#id_program_account").select_option("123456782RM0001")
    page.locator("select#id_document").select_option("statements")
    page.locator("select#id_channel").select_option("123456782")
    page.locator("form:has(input[value=subscribe]) gcds-button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Subscription.objects.get().channel == channel
    checker.check(f"channel-subscribed-{language}")

    maple = Business.objects.get(bn9="123456782")
    payload = {"importer": "123456782RM0001", "mode_of_transport": "2", "release_office": "0453"}
    raw = wco_xml.dumps(wire.Message("original", f"MAPLE-{language}", "123456782", payload))
    inbound = services.receive(maple, alice, raw, source="api")
    services.process(inbound)
    page.goto(f"{live_server.url}/{language}/edi/messages/")
    checker.check(f"messages-{language}")
    page.locator(f"a[href*='{inbound.correlation_id}']").first.click()
    page.wait_for_url(re.compile(rf"/edi/messages/{inbound.correlation_id}/$"))
    assert page.get_by_text("required").first.is_visible()
    checker.check(f"message-{language}")
    page.goto(f"{live_server.url}/{language}/edi/deliveries/")
    checker.check(f"deliveries-{language}")
