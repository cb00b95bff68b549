"""The scheduled work, caught up where no Celery beat runs (the embedded default: `make run`, tasks
inline): `make demo` runs it once after loading the demo, and the portal runs it again in the
background on the first request of each new day (`DailyCatchUp`), so the demo never stops at the
day it was loaded. Every job listed is idempotent and catches up the days it missed by itself
(the ledger's nights through LedgerRun), so running it twice, or alongside a beat, does no harm."""

import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
_running = threading.Lock()
DONE_KEY = "carm:catch-up:day"


def run(today: dt.date | None = None) -> dict:
    """Each job of settings.CARM_CATCH_UP_JOBS once, in order: {job: its result}. A job that fails is
    logged and the others still run (a feed without network must not stop the ledger's nights)."""
    results = {}
    for dotted in settings.CARM_CATCH_UP_JOBS:
        try:
            results[dotted] = import_string(dotted)()
        except Exception as error:  # noqa: BLE001 — logged; the next catch-up tries again
            log.exception("catch-up job %s failed", dotted)
            results[dotted] = error
    cache.set(DONE_KEY, (today or timezone.localdate()).isoformat(), None)
    return results


def _in_background():
    if not _running.acquire(blocking=False):
        return  # another request's thread is on it
    try:
        run()
    finally:
        _running.release()
        close_old_connections()


class DailyCatchUp:
    """Middleware: on the first request of a day not caught up yet, the catch-up starts in a
    background thread (the request is not kept waiting). Only where settings.CARM_CATCH_UP_ON_REQUEST
    (by default: when tasks run inline, i.e. no broker and no beat)."""

    def __init__(self, get_response):
        if not settings.CARM_CATCH_UP_ON_REQUEST:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if cache.get(DONE_KEY) != timezone.localdate().isoformat():
            threading.Thread(target=_in_background, name="carm-catch-up", daemon=True).start()
        return self.get_response(request)
