"""The workbench's three extension points, each filled with one line from an AppConfig.ready():

- `panels`: the sections of the client 360 (`register_panel(Panel(...))`); the security and appeals
  apps add theirs the same way as the ledger or rulings panels below.
- `queues`: the officers' work queues (`register_queue(Queue(...))`); `items` may be any callable
  giving the open items, e.g. `security.services.officer_queue` or `recourse.services.officer_queue`.
- `jobs`: the runs an officer launches (`register_job(Job(...))`); `run(day, progress=None)` returns
  how many things it did (0: nothing to do; a tuple of counts is added up) and calls
  `progress(done, total)` as it goes. The Celery beat runs them too, through `workbench.tasks.scheduled`
  (settings.CELERY_BEAT_SCHEDULE), so a scheduled run is a `Run` like a launched one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rights import Action


def field(item, *names, default=None):
    """An item's first present attribute or key among `names`: queues take model rows as well as the
    core.queues.QueueItem(kind, subject, deadline, summary, account) other apps give, or dicts."""
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return default


def _subject(item):
    return field(item, "subject")


def _key(item) -> str:
    own = field(item, "pk", "id")
    if own is not None:
        return str(own)
    subject = _subject(item)
    return f"{field(item, 'kind', default='')}-{getattr(subject, 'pk', subject)}"


def _title(item) -> str:
    return str(field(item, "title", "summary") or _subject(item) or item)


def _link(item) -> str:
    url = field(item, "url", "get_absolute_url")
    if url is None and _subject(item) is not None:
        url = getattr(_subject(item), "get_absolute_url", None)
    return url() if callable(url) else (url or "")


def _deadline(item):
    return field(item, "deadline")


OPENED = ("submitted_at", "requested_at", "asked_at", "filed_on", "created_at")


def _opened(item):
    """When the item came in (its age in the queue): the row's own date, or its subject's."""
    return field(item, *OPENED) or field(_subject(item) or {}, *OPENED)


@dataclass(frozen=True)
class Panel:
    """A section of the client 360: `template` rendered with `context(business, request)`."""

    key: str
    label: str
    template: str
    context: Callable
    order: int = 50


@dataclass(frozen=True)
class Queue:
    """Open items awaiting an officer; `deadline(item)` is the service-standard date (None: no
    standard); `opened(item)` when it came in; `action` is the officer action working the queue
    takes. `decide(item, approve, officer, reason, request)`, where a queue's decision is uniform
    (approve or reject with a reason), is the app's own single decision: it checks, posts and audits,
    and raises ValidationError when it refuses the item."""

    key: str
    label: str
    items: Callable
    action: Action
    deadline: Callable = _deadline
    link: Callable = _link
    title: Callable = _title
    key_of: Callable = _key
    opened: Callable = _opened
    standard: str = ""  # the service standard in words, with its source
    decide: Callable | None = None


def counted(result) -> int | None:
    """How many things a job's result says it did: a count, a tuple of counts (penalties' (raised,
    waived)), or None when the job does not say (the run is done without a count)."""
    if isinstance(result, bool) or result is None:
        return None
    if isinstance(result, int):
        return result
    if isinstance(result, (tuple, list)) and all(isinstance(part, int) for part in result):
        return sum(result)
    return None


def _same_day(today):
    return today


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    run: Callable  # run(day, progress=None) -> int
    schedule: str = ""  # when the beat runs it, in words
    day_of: Callable = _same_day  # the day a beat run on `today` works for (the nightly runs: yesterday)


panels: dict[str, Panel] = {}
queues: dict[str, Queue] = {}
jobs: dict[str, Job] = {}


def register_panel(panel: Panel) -> None:
    panels[panel.key] = panel


def register_queue(queue: Queue) -> None:
    queues[queue.key] = queue


def register_job(job: Job) -> None:
    jobs[job.key] = job
