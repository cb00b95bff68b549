"""Files attached to a ruling request: literature, photos, drawings of the goods.

The type is read from the first bytes (a name or a declared type proves nothing), the size is
limited, and every file passes the virus scanner named by CARM_VIRUS_SCANNER: a dotted path to a
callable taking the bytes and raising `Infected` (the default scans nothing; a deployment plugs in
its antivirus, e.g. a clamd client)."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .errors import Error, RulingError

# D11-11-3 asks for literature, photographs or drawings: PDF and the two usual image formats.
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024


class Infected(Exception):
    """Raised by a scanner for a file it refuses."""


def no_scan(content: bytes) -> None:
    """The default scanner: accepts everything (no antivirus configured)."""


def check_file(upload) -> tuple[bytes, str]:
    """(content, content type) of an acceptable upload, else RulingError naming why."""

    def refuse(code, message):
        return RulingError([Error("file", code, message)])

    if upload is None:
        raise refuse("required", _("Choose a file to attach."))
    if upload.size > MAX_BYTES:
        raise refuse("too_large", _("The file is larger than %(size)s MB.") % {"size": MAX_MEGABYTES})
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise refuse("too_large", _("The file is larger than %(size)s MB.") % {"size": MAX_MEGABYTES})
    content_type = next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None)
    if content_type is None:
        raise refuse("wrong_type", _("Attach a PDF document or a PNG or JPEG image."))
    try:
        import_string(settings.CARM_VIRUS_SCANNER)(content)
    except Infected:
        raise refuse("infected", _("The virus scan refused this file.")) from None
    return content, content_type
