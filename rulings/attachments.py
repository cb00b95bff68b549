"""Files attached to a ruling request: literature, photos, drawings of the goods, checked by
core.attachments (type by content, size, virus scanner)."""

from core import attachments as checks
from core.attachments import MAX_BYTES, MAX_MEGABYTES, Infected, no_scan  # noqa: F401  (the rulings' names)

from .errors import Error, RulingError


def check_file(upload) -> tuple[bytes, str]:
    """(content, content type) of an acceptable upload (core.attachments), else RulingError naming why."""
    try:
        return checks.check_file(upload)
    except checks.Refused as refused:
        raise RulingError([Error("file", refused.code, refused.message)]) from None
