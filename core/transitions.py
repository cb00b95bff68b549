"""State machines as tables. A model's statuses and the moves allowed between them are one `Table`:
{from: {to, ...}}. A move is one conditional UPDATE ... WHERE pk = %s AND status = <from>: of two
writers who both saw the same state (two clicks, two workers, a stale copy), one changes the row and
the other gets `Conflict` instead of both succeeding. The table also gives the database
CheckConstraint that the column holds only known statuses."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IllegalTransition(ValidationError):
    def __init__(self, from_status, to_status):
        super().__init__(
            _("A record cannot go from %(from)s to %(to)s.") % {"from": from_status, "to": to_status},
            code="illegal_transition",
        )


class Conflict(ValidationError):
    """The row was no longer in the state the move started from: someone else moved it first."""

    def __init__(self):
        super().__init__(
            _("Someone else changed this record at the same time: reload it and try again."), code="conflict"
        )


class Table:
    def __init__(self, choices: type[models.TextChoices], moves: dict, field: str = "status"):
        self.field = field
        self.states = list(choices.values)
        self.moves = {source: frozenset(targets) for source, targets in moves.items()}
        unknown = (set(self.moves) | {to for targets in self.moves.values() for to in targets}) - set(self.states)
        if unknown:
            raise ValueError(f"not a status of {choices.__name__}: {sorted(unknown)}")

    def allows(self, from_status, to_status) -> bool:
        return to_status in self.moves.get(from_status, ())

    def constraint(self, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(condition=models.Q(**{f"{self.field}__in": self.states}), name=name)


def transition(model_or_queryset, pk, from_status, to_status, *, table: Table | None = None, **fields) -> None:
    """Move row `pk` from `from_status` to `to_status` (with `fields` set in the same UPDATE), by
    `table` or else the model's (`Model.transitions`). Raises IllegalTransition for a move the table
    does not have, Conflict when the row is not (or no longer) in `from_status`."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    table = table or queryset.model.transitions
    if not table.allows(from_status, to_status):
        raise IllegalTransition(from_status, to_status)
    changed = queryset.filter(pk=pk, **{table.field: from_status}).update(**{table.field: to_status}, **fields)
    if changed != 1:
        raise Conflict()


def move(instance, to_status, *, table: Table | None = None, **fields) -> None:
    """`transition` from the state `instance` was read in; `instance` then holds what was written."""
    table = table or type(instance).transitions
    transition(type(instance), instance.pk, getattr(instance, table.field), to_status, table=table, **fields)
    for name, value in {table.field: to_status, **fields}.items():
        setattr(instance, name, value)
