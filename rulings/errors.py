"""The refusals of the rulings services: each error names its field, a machine code and a message."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Error:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class RulingError(ValueError):
    """A request the rules refuse; `errors` say why, field by field."""

    def __init__(self, errors: list[Error]):
        super().__init__([e.as_dict() for e in errors])
        self.errors = errors


class Conflict(RulingError):
    """The event does not apply to the request as it now stands (another change came first)."""
