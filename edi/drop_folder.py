"""The drop folder (an SFTP-style inbox, issue #22.2): settings.EDI_DROP_FOLDER/<BN9>/ holds the files
a business's system dropped; each sweep (edi.tasks.sweep_drop_folder) files each one as a message of
that business by the person who set up its channel, writes the response to <BN9>/outbox/ and moves
the file to <BN9>/done/. A file met again after a crash is a duplicate: the same response."""

from pathlib import Path

from django.conf import settings

from . import services
from .models import Channel, Format

EXTENSIONS = {Format.XML: "xml", Format.EDIFACT: "edi"}


def root() -> Path:
    return Path(settings.EDI_DROP_FOLDER)


def sweep() -> int:
    done = 0
    for channel in Channel.objects.select_related("business", "owner"):
        inbox = root() / channel.business.bn9
        if not inbox.is_dir():
            continue
        for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
            message = services.receive(channel.business, channel.owner, path.read_bytes(), source="drop")
            reply = services.process(message)
            for folder in ("outbox", "done"):
                (inbox / folder).mkdir(exist_ok=True)
            name = f"{message.correlation_id}.{EXTENSIONS[reply.format]}"
            (inbox / "outbox" / name).write_text(reply.raw, encoding="utf-8")
            path.rename(inbox / "done" / f"{message.correlation_id}-{path.name}")
            done += 1
    return done
