"""Checks for an uploaded document (rulings' literature, an appeal's evidence): the type is read
from the first bytes (a name or a declared type proves nothing), the size is limited, and every
file passes the virus scanner named by CARM_VIRUS_SCANNER: a dotted path to a callable taking the
bytes and raising `Infected` (the default scans nothing; a deployment plugs in its antivirus)."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# PDF and the two usual image formats (D11-11-3's literature, photographs, drawings; appeal evidence).
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024


class Infected(Exception):
    """Raised by a scanner for a file it refuses."""


class Refused(ValueError):
    """An upload refused: `code` and a translated `message`."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code, self.message = code, message


def no_scan(content: bytes) -> None:
    """The default scanner: accepts everything (no antivirus configured)."""


def check_file(upload) -> tuple[bytes, str]:
    """(content, content type) of an acceptable upload, else Refused naming why."""
    if upload is None:
        raise Refused("required", _("Choose a file to attach."))
    too_large = Refused("too_large", _("The file is larger than %(size)s MB.") % {"size": MAX_MEGABYTES})
    if upload.size > MAX_BYTES:
        raise too_large
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise too_large
    content_type = next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None)
    if content_type is None:
        raise Refused("wrong_type", _("Attach a PDF document or a PNG or JPEG image."))
    try:
        import_string(settings.CARM_VIRUS_SCANNER)(content)
    except Infected:
        raise Refused("infected", _("The virus scan refused this file.")) from None
    return content, content_type
