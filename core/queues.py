"""The one shape of an item an app's `officer_queue` gives the workbench (security's reviews,
recourse's requests, penalties' outages): what the item is, the record it is about and by when."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueItem:
    kind: str  # what awaits the officer, e.g. "paper_bond", "s60", "outage"
    subject: object  # the record to work on
    deadline: dt.date | dt.datetime | None  # the service standard's date (an outage: its declared end)
    summary: str = ""  # a line for the workbench's list (empty: the subject's own)
    account: object = None  # the program account concerned, where the page links to it
