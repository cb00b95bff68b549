"""How the load commands print a LoadReport."""

from django.core.management.base import BaseCommand

SHOWN_REJECTIONS = 200


def print_report(command: BaseCommand, report, source: str) -> None:
    write = command.stdout.write
    if report.already_loaded:
        write(f"{source}: already loaded as {report.version} — nothing to do.")
        return
    write(command.style.SUCCESS(f"{source}: loaded {report.version} in {report.seconds:.1f} s"))
    write(f"  rows read: {report.rows_read}, rejected: {len(report.rejected)}")
    for name in ("lines", "rates", "notes"):
        counts = getattr(report, name)
        if any(vars(counts).values()):
            write(f"  {name}: " + ", ".join(f"{key} {value}" for key, value in vars(counts).items()))
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        write(command.style.WARNING(f"  rejected line {rejection.line_number} {rejection.code}: {rejection.reason}"))
    if len(report.rejected) > SHOWN_REJECTIONS:
        write(f"  ... and {len(report.rejected) - SHOWN_REJECTIONS} more rejected rows")
    for text, reason in report.unparsed_rates.items():
        write(command.style.WARNING(f"  rate kept as printed, not understood by the rate parser: {text!r} ({reason})"))
