"""Hypothesis over what people upload and type: any CSV or Excel file of CAD lines, any bulk
relationship request, remittance or PAD settlement file, and any values in the portal's forms give a
result or a specific error, never an exception (a 500)."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["123456782", "123456782RM0001", "2025-05-01", "1500.00", "bank", "settled", "nsf", "é", "\x00"]),
    st.from_regex(r"-?\d{1,25}(\.\d{1,4})?", fullmatch=True),
    st.just("x" * 200_000),  # over the csv module's default field limit
)
ROWS = st.lists(st.lists(CELL, max_size=7), max_size=6)
SEPARATOR = st.sampled_from([",", ";", "\t"])


def csv_bytes(header, rows, separator=","):
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@FUZZ
@given(header=st.lists(st.sampled_from(["narrative", "quantity", "value", "classification", "origin", "x"]),
                       max_size=6), rows=ROWS, separator=SEPARATOR)  # fmt: skip
def test_any_csv_of_cad_lines_gives_lines_or_an_upload_error(maple, header, rows, separator):
    from declarations.uploads import UploadError, read_lines

    try:
        read_lines(SimpleUploadedFile("lines.csv", csv_bytes(header, rows, separator)))
    except (UploadError, UnicodeEncodeError):
        pass


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(CELL, st.integers(-(10**15), 10**15), st.floats(), st.booleans(),
                                         st.dates()), max_size=6), min_size=1, max_size=5))  # fmt: skip
def test_any_excel_workbook_of_cad_lines_gives_lines_or_an_upload_error(maple, rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from declarations.uploads import UploadError, read_lines

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["narrative", "quantity", "value"])
    try:
        for row in rows:
            sheet.append([cell[:32000] if isinstance(cell, str) else cell for cell in row])
    except IllegalCharacterError:
        return  # openpyxl itself cannot write such a file
    out = io.BytesIO()
    workbook.save(out)
    try:
        read_lines(SimpleUploadedFile("lines.xlsx", out.getvalue()))
    except UploadError:
        pass


@FUZZ
@given(rows=ROWS)
def test_any_bulk_relationship_request_gives_a_report_or_a_specific_error(maple, other_business_user, rows):
    from businesses.models import Business
    from delegation.bulk import bulk_request

    northern = Business.objects.get(bn9="123026635")
    try:
        report = bulk_request(other_business_user, northern, csv_bytes(["bn"], rows).decode("utf-8", "replace"))
    except ValidationError as error:
        assert error.code in {"unreadable", "too_many_rows"}
    else:
        assert all(result.sent or result.code for result in report)


@FUZZ
@given(rows=ROWS)
def test_any_remittance_file_is_imported_or_reported_line_by_line(maple, olivia, rows):
    from payments.remittance import HEADER, import_remittance

    remittance = import_remittance(csv_bytes(HEADER, rows), "bank.csv", user=olivia)
    assert remittance.posted + remittance.skipped + len(remittance.errors) >= 0


@FUZZ
@given(rows=ROWS)
def test_any_pad_settlement_file_is_applied_or_reported_line_by_line(maple, rows):
    from payments.settlement import HEADER, apply_settlement_file

    result = apply_settlement_file(csv_bytes(HEADER, rows))
    assert set(result) == {"settled", "returned", "unchanged", "errors"}


FORM_DATA = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "days",
            "business_number",
            "date_from",
            "date_to",
            "entry_type",
            "transaction_number",
            "submitted_by",
            "number",
            "expiry",
            "cvv",
            "scope",
            "expires_on",
            "sees_provider",
            "kind",
            "amount",
            "transactions",
            "reason",
        ]
    ),  # fmt: skip
    st.one_of(CELL, st.sampled_from(["²", "١٢/٣٠", "12/30", "99/99", "0", "-1", "1e400", "NaN", "9" * 40])),
    max_size=10,
)


@FUZZ
@given(data=FORM_DATA)
def test_any_values_in_the_portal_forms_are_valid_or_errors(maple, data):
    from accounts.forms import ApiTokenForm
    from businesses.models import ProgramAccount
    from delegation.forms import TermsForm
    from ledger.filters import EntryFilter
    from ledger.models import LedgerEntry
    from payments.forms import CardForm, LineForm
    from payments.services import Owing

    account = ProgramAccount.objects.get(number="123456782RM0001")
    forms = [
        ApiTokenForm(data),
        EntryFilter(data, LedgerEntry.objects.none()).form,
        CardForm(data, prefix=None),
        TermsForm(data, accounts=[account]),
        LineForm(data, account=account, owing=Owing(0, 0), entries=[]),
        LineForm(data, account=account, owing=None, entries=[]),
    ]
    for form in forms:
        if not form.is_valid():
            assert form.errors
