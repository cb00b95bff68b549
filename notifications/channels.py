"""Delivery adapters. `backend()` gives the one settings.CARM_NOTIFY_BACKEND names:

- "console" (local use): emails through Django's email backend (console, file or locmem), text
  messages appended as JSON lines to settings.CARM_NOTIFY_SMS_FILE;
- "gcnotify" (production): GC Notify, the Government of Canada's notification service, one generic
  template per channel and language whose ((subject)) and ((body)) placeholders carry the message
  (POST /v2/notifications/email|sms, template_id + personalisation, `Authorization: ApiKey-v1 …`).

A failure that may pass (network, 429, 5xx) raises TransientError and is retried with backoff; one
that will not (400: bad address or template) raises PermanentError.

Source: GC Notify API documentation (documentation.notification.canada.ca, "Get started" and "Send a
message"): base URL, `ApiKey-v1` followed by the whole API key (an older copy of the page said the
secret part only; the current one, followed here, says the whole key), 4xx an invalid request, 5xx a
server failure, 429 past 1,000 requests a minute."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


@dataclass(frozen=True)
class Message:
    """One rendered message for one person, in their language."""

    to: str
    language: str
    subject: str
    text: str
    html: str = ""


class ConsoleBackend:
    def send_email(self, message: Message) -> str:
        email = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.to])
        email.attach_alternative(message.html, "text/html")
        email.send()
        return ""

    def send_sms(self, message: Message) -> str:
        path = Path(settings.CARM_NOTIFY_SMS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "to": message.to, "language": message.language, "text": message.text}
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
        return ""


def urllib_transport(url: str, headers: dict, payload: dict) -> tuple[int, dict]:
    """POST JSON, answer (status, body). Network trouble is a transient failure."""
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the configured https URL)
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise TransientError(str(error)[:200]) from error


class GCNotifyBackend:
    def __init__(self, transport=urllib_transport):
        self.transport = transport

    def _send(self, channel: str, address_field: str, message: Message, personalisation: dict) -> str:
        template = settings.CARM_NOTIFY_TEMPLATES.get(channel, {}).get(message.language)
        if not template:
            raise PermanentError(f"no GC Notify {channel} template for {message.language}")
        payload = {address_field: message.to, "template_id": template, "personalisation": personalisation}
        headers = {"Authorization": f"ApiKey-v1 {settings.CARM_NOTIFY_API_KEY}", "Content-Type": "application/json"}
        status, body = self.transport(f"{settings.CARM_NOTIFY_API_URL}/v2/notifications/{channel}", headers, payload)
        if status == 201:
            return str(body.get("id", ""))
        detail = "; ".join(str(e.get("message", "")) for e in body.get("errors", [])) or f"HTTP {status}"
        if status == 429 or status >= 500:  # GC Notify "Send a message": rate limit, server failure
            raise TransientError(detail[:200])
        raise PermanentError(detail[:200])

    def send_email(self, message: Message) -> str:
        return self._send("email", "email_address", message, {"subject": message.subject, "body": message.text})

    def send_sms(self, message: Message) -> str:
        return self._send("sms", "phone_number", message, {"body": message.text})


BACKENDS = {"console": ConsoleBackend, "gcnotify": GCNotifyBackend}


def backend():
    return BACKENDS[settings.CARM_NOTIFY_BACKEND]()
