"""The declarations list as CSV: the rows the list shows (the caller filters and checks rights),
headed in the active language, amounts as plain decimals a spreadsheet reads."""

import csv
from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext as _


class _Line:
    """csv.writer's file: hands back each written line."""

    def write(self, value):
        return value


def declarations_csv(declarations) -> Iterator[str]:
    """Lines of CSV, made as the response streams them (a broker's list can be long), in the
    language active now."""
    return _lines(declarations, translation.get_language())


def _lines(declarations, language) -> Iterator[str]:
    with translation.override(language):
        yield from _rows(declarations)


def _rows(declarations) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # a byte-order mark: spreadsheets then read the accents of French headings and names
    yield writer.writerow(
        [
            _("Transaction number"),
            _("Importer account"),
            _("Release date"),
            _("Status"),
            _("Version"),
            _("Submitted by"),
            _("Duties and taxes"),
        ]
    )
    for declaration in declarations.iterator():
        yield writer.writerow(
            [
                declaration.transaction_number,
                declaration.program_account.number,
                declaration.release_date.isoformat() if declaration.release_date else "",
                declaration.get_status_display(),
                f"{declaration.current_version:05d}",
                declaration.submitted_by_business.legal_name if declaration.submitted_by_business else "",
                declaration.total,
            ]
        )
