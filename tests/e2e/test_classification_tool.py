"""The classification tool and the estimator as a trader uses them: browse section → chapter →
heading → classification number, search by words and by code, follow "estimate the duties" to the
estimator, get the breakdown and the lowest option, then read it in French."""

import re

from playwright.sync_api import expect


def _fill(page, field_id, value):
    # Inputs live in the gcds-input's shadow DOM; Playwright's CSS locators pierce it.
    page.locator(f"input#{field_id}").fill(value)


def _search(page, words):
    page.locator("input#tariff-q").fill(words)
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Search", exact=True).click()


def test_a_trader_finds_a_classification_and_estimates_the_duties(page, live_server, checker, tariff_6109):
    page.goto(f"{live_server.url}/en/tariff/")
    checker.check("tariff-index-en")
    page.get_by_role("link", name="Section XI").click()
    page.wait_for_url(re.compile(r"/tariff/sections/11/"))
    checker.check("section-xi")
    page.get_by_role("link", name=re.compile(r"Chapter 61")).first.click()
    page.wait_for_url(re.compile(r"/tariff/chapters/61/"))
    checker.check("chapter-61")
    page.get_by_role("link", name="61.09").first.click()
    page.wait_for_url(re.compile(r"/tariff/headings/6109/"))
    checker.check("heading-6109")
    page.get_by_role("link", name="6109.10.00.12").first.click()
    page.wait_for_url(re.compile(r"/tariff/classifications/6109100012/"))
    expect(page.get_by_role("heading", name="Classification number 6109.10.00.12")).to_be_visible()
    rates = page.get_by_role("table").filter(has_text="Most-Favoured-Nation")
    expect(rates.get_by_role("row").filter(has_text="Most-Favoured-Nation")).to_contain_text("18 %")
    expect(rates.get_by_role("row").filter(has_text="United States Tariff")).to_contain_text("Free")
    checker.check("classification-6109100012")

    page.goto(f"{live_server.url}/en/tariff/")
    _search(page, "cotton t-shirts")
    expect(page.locator("main")).to_contain_text("6109.10.00.12")
    checker.check("search-words")
    _search(page, "6109.10")
    expect(page.locator("main")).to_contain_text("Other T-shirts")
    checker.check("search-code-with-dots")

    _search(page, "6109.10.00.12")  # a whole number goes straight to its page
    page.wait_for_url(re.compile(r"/tariff/classifications/6109100012/"))
    page.get_by_role("link", name="Estimate the duties and taxes on these goods").click()
    page.wait_for_url(re.compile(r"/assessment/estimate/"))
    checker.check("estimator-prefilled")
    expect(page.locator("input#id_classification")).to_have_value(re.compile(r"6109\.?10\.?00\.?12"))
    _fill(page, "id_origin", "US")
    _fill(page, "id_value", "2500.00")
    _fill(page, "id_currency", "USD")
    _fill(page, "id_quantity", "200")
    _fill(page, "id_shipment_date", "2025-01-03")
    page.get_by_role("button", name="Calculate the estimate").click()
    page.wait_for_url(re.compile(r"submitted="))
    breakdown = page.get_by_role("table").filter(has_text="Duties and taxes by tariff treatment")
    expect(breakdown).to_contain_text("Most-Favoured-Nation")
    expect(breakdown).to_contain_text("United States Tariff")
    expect(page.locator("main")).to_contain_text("1.4389 CAD per USD")
    # US$2,500 at 1.4389 = $3,597.25; UST is free: GST 5 % = $179.86, the lowest.
    lowest = page.locator("gcds-notice")
    expect(lowest).to_contain_text("United States Tariff (CUSMA) (UST): $179.86")
    checker.check("estimate-en")

    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/assessment/estimate/"))
    expect(page.get_by_role("heading", name="Estimer les droits et taxes")).to_be_visible()
    expect(page.locator("gcds-notice")).to_contain_text("179,86")
    checker.check("estimate-fr")
    page.goto(f"{live_server.url}/fr/tariff/classifications/6109100012/")
    expect(page.get_by_role("heading", name=re.compile(r"Numéro de classement 6109\.10\.00\.12"))).to_be_visible()
    checker.check("classification-fr")
    page.goto(f"{live_server.url}/fr/tariff/headings/6109/")
    checker.check("heading-fr")
    page.goto(f"{live_server.url}/fr/tariff/search/?q=t-shirts+de+coton")
    checker.check("search-fr")
