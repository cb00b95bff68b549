"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against the live test server.
Every page visited is screenshotted under test-artifacts/ and checked with axe-core."""

import os
import re
from pathlib import Path

import pytest

from accounts.management.commands.demo_totp import current_totp_code

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls from the sync Playwright thread

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "static" / "vendor" / "axe" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def sign_in(page, live_server, user):
    """The two-step sign-in as a person does it (password, then the authenticator's code): the portal
    lands in the person's language, an officer on the workbench."""
    page.goto(f"{live_server.url}/en/account/login/")
    page.locator("input#id_login").fill(user.email)
    page.locator("input#id_password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
    page.locator("input#id_code").fill(current_totp_code(user))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/(en|fr)/(cbsa/)?$"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


class PageChecker:
    """Screenshots and accessibility checks for each page a test visits."""

    def __init__(self, page, name):
        self.page = page
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.outside_requests = []
        self.csp_violations = []
        page.on("request", self._watch)
        page.on("console", self._console)

    def _watch(self, request):
        if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            self.outside_requests.append(request.url)

    def _console(self, message):
        if "Content Security Policy" in message.text:  # the GCDS components must work under the portal's CSP
            self.csp_violations.append(message.text)

    def check(self, label):
        """Wait for the web components, save a screenshot, fail on serious accessibility violations."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("() => customElements.get('gcds-header') !== undefined")
        self.page.wait_for_timeout(300)  # let the components render their shadow DOM
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"), full_page=True)
        self.page.evaluate(AXE.read_text() + "\n;0")  # through DevTools: the page's CSP forbids inline scripts
        violations = self.page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
        )
        assert not violations, f"accessibility violations on {label} ({self.page.url}):\n" + "\n".join(violations)
        assert not self.outside_requests, f"requests left the machine: {self.outside_requests}"
        assert not self.csp_violations, f"Content-Security-Policy violations on {label}: {self.csp_violations}"


@pytest.fixture
def checker(page, request):
    return PageChecker(page, request.node.name)


E2E_DATA = Path(__file__).parent / "data"


@pytest.fixture
def tariff_6109(transactional_db):
    """Heading 61.09 (T-shirts) of T2021 with Section XI's and Chapter 61's legal notes, cut from the
    shipped files (tests/e2e/data), loaded through the real loaders; and the Bank of Canada's USD rate
    of Friday 2025-01-03. Search indexes and the tariff's reference tables start afresh."""
    from datetime import date
    from decimal import Decimal

    from assessment.models import ExchangeRate
    from tariff import search, services
    from tariff.loader import load_notes, load_schedule

    search.clear_cache()
    services.clear_cache()
    load_notes(E2E_DATA / "section-notes-61.csv", E2E_DATA / "chapter-notes-61.csv", date(2019, 1, 1))
    version = load_schedule(E2E_DATA / "tphs_2021_6109.csv", label="T2021")
    ExchangeRate.objects.create(currency="USD", date=date(2025, 1, 3), cad_per_unit=Decimal("1.4389"))
    yield version
    search.clear_cache()
    services.clear_cache()
